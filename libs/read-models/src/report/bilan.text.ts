import Table from 'cli-table3';
import { type BilanReport } from './bilan';

const n = (v: number): string => v.toLocaleString('fr-FR').replace(/\u202f|\u00a0/g, ' ');
const eur = (cents: number): string => `${n(Math.round(cents / 100))} €`;
const meur = (cents: number): string => `${(cents / 100_000_000).toLocaleString('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} M€`;
const pct = (v: number | null): string => (v === null ? '—' : `${v.toLocaleString('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} %`);

const PHASE_LABELS: Record<string, string> = {
  programmation: 'Programmation (schéma directeur)',
  etudes: 'Diagnostic / études',
  avp: 'Avant-projet (AVP)',
  autorisation: 'Autorisation de travaux',
  travaux: 'Travaux',
  livraisons: 'Livraisons',
  terminee: 'Terminée (réception)',
  suspendue: 'Suspendue',
  abandonnee: 'Abandonnée',
};

function table(head: string[], rows: (string | number)[][]): string {
  const t = new Table({ head, style: { head: [], border: [] }, colAligns: head.map((_, i) => (i === 0 ? 'left' : 'right')) });
  t.push(...rows.map((r) => r.map(String)));
  return t.toString();
}

/** Renders the bilan as French plain text (the table printed by `npm run demo`). */
export function renderBilanText(r: BilanReport): string {
  const target = r.logements.target ?? 0;
  const out: string[] = [];
  out.push(`ENGAGEMENT POUR LE RENOUVEAU DU BASSIN MINIER — BILAN AU ${r.asOf.split('-').reverse().join('/')}`);
  if (r.knownAt) out.push(`(état des connaissances au ${r.knownAt})`);
  out.push('');
  out.push('1. Logements miniers rénovés');
  out.push(
    table(
      ['Indicateur', 'Valeur'],
      [
        ['Objectif du programme (logements)', n(target)],
        ['Logements livrés', n(r.logements.delivered)],
        ["Taux d'atteinte de l'objectif", pct(r.logements.percentage)],
        ['Échéance de l’objectif', r.programme.targetDate ?? '—'],
      ],
    ),
  );
  out.push('Logements livrés par EPCI');
  out.push(table(['EPCI', 'Livrés', 'Part'], r.logements.byEpci.map((g) => [`${g.label} (${g.key})`, n(g.delivered), pct(r.logements.delivered ? Math.round((g.delivered / r.logements.delivered) * 1000) / 10 : null)])));
  out.push('Logements livrés par bailleur');
  out.push(table(['Bailleur', 'Livrés'], r.logements.byBailleur.map((g) => [g.label, n(g.delivered)])));
  out.push('Logements livrés par financeur (opérations aidées par le financeur)');
  out.push(table(['Financeur', 'Livrés'], r.logements.byFinancer.map((g) => [g.label, n(g.delivered)])));
  out.push('');
  out.push('2. Opérations par phase');
  const phaseRows = (rows: BilanReport['operations']['logements']['byPhase']) => {
    const by = new Map<string, number>();
    for (const p of rows) by.set(p.phase, (by.get(p.phase) ?? 0) + p.operations);
    return [...by.entries()].map(([phase, count]) => [PHASE_LABELS[phase] ?? phase, n(count)]);
  };
  out.push(
    table(
      ['Opérations', 'Terminées', 'En phase de travaux'],
      [
        ['Logements (aides ERBM)', n(r.operations.logements.terminees), n(r.operations.logements.enTravaux)],
        ['Renouvellement urbain des cités', n(r.operations.urbaines.terminees), n(r.operations.urbaines.enTravaux)],
      ],
    ),
  );
  out.push('Opérations logements (toutes, y compris fonds propres) par phase');
  out.push(table(['Phase', 'Opérations'], phaseRows(r.operations.logements.byPhase)));
  out.push('Opérations urbaines par phase');
  out.push(table(['Phase', 'Opérations'], phaseRows(r.operations.urbaines.byPhase)));
  out.push('');
  out.push('3. Subventions');
  out.push(
    table(
      ['Indicateur', 'Montant'],
      [
        ['Aides État, Région et EPCI aux logements (cumul)', `${eur(r.subsidies.logementsCents)} (${meur(r.subsidies.logementsCents)})`],
        ['Aides État et Région aux espaces urbains des cités, 2021–2022', `${eur(r.subsidies.urbainesEtatRegion2021_2022Cents)} (${meur(r.subsidies.urbainesEtatRegion2021_2022Cents)})`],
        ['Total des subventions décidées', eur(r.subsidies.decided.cents)],
        ['Total des subventions versées', eur(r.subsidies.paid.cents)],
      ],
    ),
  );
  out.push('Subventions par financeur');
  out.push(table(['Financeur', 'Décidé', 'Versé'], r.subsidies.byFinancer.map((f) => [f.financer, eur(f.decided.cents), eur(f.paid.cents)])));
  out.push('');
  out.push("4. Insertion (heures d'insertion des clauses sociales)");
  const p = r.insertion.programme;
  out.push(
    table(
      ['Indicateur', 'Valeur'],
      [
        ["Heures d'insertion sur la réhabilitation des logements", n(r.insertion.logementsHours)],
        ['Personnes recrutées (logements)', n(r.insertion.logementsRecruited)],
        ['dont bénéficiaires du RSA', n(r.insertion.logementsRsa)],
        ["Heures d'insertion, tout le programme", n(r.insertion.programmeHours)],
        ['Participants demandeurs d’emploi de longue durée (programme)', n(r.insertion.programmeParticipantsDeld)],
        ['Participants par public (DELD / RSA / jeunes / RQTH / autres)', p ? [p.participants.deld, p.participants.rsa, p.participants.jeunes, p.participants.rqth, p.participants.autres].map(n).join(' / ') : '—'],
      ],
    ),
  );
  out.push("Heures d'insertion par année");
  out.push(table(['Année', 'Heures', 'Recrutements'], r.insertion.byYear.map((y) => [y.keys.year ?? '', n(y.hours), n(y.recruitments.total)])));
  out.push('');
  out.push('5. Performance énergétique des logements livrés');
  const e = r.energy;
  out.push(
    table(
      ['Indicateur', 'Valeur'],
      [
        ['Consommation moyenne avant travaux (kWhEP/m².an)', e.averageBeforeKwhPerM2Year === null ? '—' : n(e.averageBeforeKwhPerM2Year)],
        ['Consommation moyenne après travaux (kWhEP/m².an)', e.averageAfterKwhPerM2Year === null ? '—' : n(e.averageAfterKwhPerM2Year)],
        [`Logements sous l'objectif de ${e.goalKwhPerM2Year} kWh/m².an`, `${n(e.logementsUnderGoal)} (${pct(e.shareUnderGoal === null ? null : Math.round(e.shareUnderGoal * 1000) / 10)})`],
        ['Étiquettes DPE avant (A…G)', ['A', 'B', 'C', 'D', 'E', 'F', 'G'].map((c) => `${c}:${e.dpeBefore[c] ?? 0}`).join(' ')],
        ['Étiquettes DPE après (A…G)', ['A', 'B', 'C', 'D', 'E', 'F', 'G'].map((c) => `${c}:${e.dpeAfter[c] ?? 0}`).join(' ')],
      ],
    ),
  );
  return out.join('\n');
}
