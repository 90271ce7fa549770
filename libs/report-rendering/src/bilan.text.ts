import Table from 'cli-table3';
import { type BilanReport, DPE_CLASSES, L, PHASE_LABELS } from '@erbm/reporting';

const n = (v: number): string => v.toLocaleString('fr-FR').replace(/\u202f|\u00a0/g, ' ');
const eur = (cents: number): string => `${n(Math.round(cents / 100))} €`;
const meur = (cents: number): string => `${(cents / 100_000_000).toLocaleString('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} M€`;
const pct = (v: number | null): string => (v === null ? '—' : `${v.toLocaleString('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} %`);


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
  out.push(L.sections.logements);
  out.push(
    table(
      ['Indicateur', 'Valeur'],
      [
        [L.objectif, n(target)],
        [L.livres, n(r.logements.delivered)],
        [L.taux, pct(r.logements.percentage)],
        [L.echeance, r.programme.targetDate ?? '—'],
      ],
    ),
  );
  out.push(L.byEpci);
  out.push(table(['EPCI', 'Livrés', 'Part'], r.logements.byEpci.map((g) => [`${g.label} (${g.key})`, n(g.delivered), pct(r.logements.delivered ? Math.round((g.delivered / r.logements.delivered) * 1000) / 10 : null)])));
  out.push(L.byBailleur);
  out.push(table(['Bailleur', 'Livrés'], r.logements.byBailleur.map((g) => [g.label, n(g.delivered)])));
  out.push(L.byFinancer);
  out.push(table(['Financeur', 'Livrés'], r.logements.byFinancer.map((g) => [g.label, n(g.delivered)])));
  out.push('');
  out.push(L.sections.operations);
  const phaseRows = (rows: BilanReport['operations']['logements']['byPhase']) => {
    const by = new Map<string, number>();
    for (const p of rows) by.set(p.phase, (by.get(p.phase) ?? 0) + p.operations);
    return [...by.entries()].map(([phase, count]) => [PHASE_LABELS[phase] ?? phase, n(count)]);
  };
  out.push(
    table(
      ['Opérations', 'Terminées', 'En phase de travaux'],
      [
        [L.opLogements, n(r.operations.logements.terminees), n(r.operations.logements.enTravaux)],
        [L.opUrbaines, n(r.operations.urbaines.terminees), n(r.operations.urbaines.enTravaux)],
      ],
    ),
  );
  out.push(L.phasesLogements);
  out.push(table(['Phase', 'Opérations'], phaseRows(r.operations.logements.byPhase)));
  out.push(L.phasesUrbaines);
  out.push(table(['Phase', 'Opérations'], phaseRows(r.operations.urbaines.byPhase)));
  out.push('');
  out.push(L.sections.subventions);
  out.push(
    table(
      ['Indicateur', 'Montant'],
      [
        [L.subLogements, `${eur(r.subsidies.logementsCents)} (${meur(r.subsidies.logementsCents)})`],
        [L.subUrbaines, `${eur(r.subsidies.urbainesEtatRegion2021_2022Cents)} (${meur(r.subsidies.urbainesEtatRegion2021_2022Cents)})`],
        [L.subDecided, eur(r.subsidies.decided.cents)],
        [L.subPaid, eur(r.subsidies.paid.cents)],
      ],
    ),
  );
  out.push(L.subByFinancer);
  out.push(table(['Financeur', 'Décidé', 'Versé'], r.subsidies.byFinancer.map((f) => [f.financer, eur(f.decided.cents), eur(f.paid.cents)])));
  out.push('');
  out.push(L.sections.insertion);
  const p = r.insertion.programme;
  out.push(
    table(
      ['Indicateur', 'Valeur'],
      [
        [L.insLogementsHours, n(r.insertion.logementsHours)],
        [L.insRecruited, n(r.insertion.logementsRecruited)],
        [L.insRsa, n(r.insertion.logementsRsa)],
        [L.insProgrammeHours, n(r.insertion.programmeHours)],
        [L.insDeld, n(r.insertion.programmeParticipantsDeld)],
        [L.insByPublic, p ? [p.participants.deld, p.participants.rsa, p.participants.jeunes, p.participants.rqth, p.participants.autres].map(n).join(' / ') : '—'],
      ],
    ),
  );
  out.push(L.insByYear);
  out.push(table(['Année', 'Heures', 'Recrutements'], r.insertion.byYear.map((y) => [y.keys.year ?? '', n(y.hours), n(y.recruitments.total)])));
  out.push('');
  out.push(L.byAxis.toUpperCase());
  out.push(
    table(
      ['Axe', 'Logements livrés', 'Subventions décidées', 'Subventions versées', "Heures d'insertion"],
      r.byAxis.map((a) => [`${a.code} – ${a.label}`, n(a.logementsDelivered), eur(a.subsidiesDecided.cents), eur(a.subsidiesPaid.cents), n(a.insertionHours)]),
    ),
  );
  out.push('');
  out.push(L.sections.energie);
  const e = r.energy;
  out.push(
    table(
      ['Indicateur', 'Valeur'],
      [
        [L.enBefore, e.averageBeforeKwhPerM2Year === null ? '—' : n(e.averageBeforeKwhPerM2Year)],
        [L.enAfter, e.averageAfterKwhPerM2Year === null ? '—' : n(e.averageAfterKwhPerM2Year)],
        [L.enUnderGoal(e.goalKwhPerM2Year), `${n(e.logementsUnderGoal)} (${pct(e.shareUnderGoal === null ? null : Math.round(e.shareUnderGoal * 1000) / 10)})`],
        [L.dpeBefore, DPE_CLASSES.map((c) => `${c}:${e.dpeBefore[c] ?? 0}`).join(' ')],
        [L.dpeAfter, DPE_CLASSES.map((c) => `${c}:${e.dpeAfter[c] ?? 0}`).join(' ')],
      ],
    ),
  );
  return out.join('\n');
}
