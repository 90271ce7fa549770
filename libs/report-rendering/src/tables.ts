import { type BilanReport, DPE_CLASSES, KIND_LABELS, L, PHASE_LABELS, centsToEur } from '@erbm/reporting';

/** A value of a report table: text, a count, money in integer cents, a percentage (0–100, one decimal), or nothing. */
export type Cell = string | number | { cents: number } | { percent: number } | null;

export type SheetName = (typeof L.sheets)[number];

/** One table of the bilan, rendered identically by CSV, XLSX, HTML and PDF. */
export interface ReportTable {
  sheet: SheetName;
  title: string;
  head: string[];
  rows: Cell[][];
}

const share = (part: number, total: number): Cell => (total ? { percent: Math.round((part / total) * 1000) / 10 } : null);

/** The bilan as the ordered list of its tables (the section structure of the published review). */
export function bilanTables(r: BilanReport): ReportTable[] {
  const lg = r.logements;
  const e = r.energy;
  const p = r.insertion.programme;
  const phaseRows = (rows: BilanReport['operations']['logements']['byPhase']): Cell[][] =>
    rows.map((x) => [KIND_LABELS[x.kind] ?? x.kind, x.financing ?? '', PHASE_LABELS[x.phase] ?? x.phase, x.operations, x.plannedLogements]);
  return [
    {
      sheet: 'Synthèse',
      title: L.sections.synthese,
      head: [L.indicateur, L.valeur],
      rows: [
        [L.objectif, lg.target],
        [L.livres, lg.delivered],
        [L.taux, lg.percentage === null ? null : { percent: lg.percentage }],
        [L.echeance, r.programme.targetDate],
        [`${L.opLogements} — ${L.terminees.toLowerCase()}`, r.operations.logements.terminees],
        [`${L.opLogements} — ${L.enTravaux.toLowerCase()}`, r.operations.logements.enTravaux],
        [`${L.opUrbaines} — ${L.terminees.toLowerCase()}`, r.operations.urbaines.terminees],
        [`${L.opUrbaines} — ${L.enTravaux.toLowerCase()}`, r.operations.urbaines.enTravaux],
        [L.subLogements, { cents: r.subsidies.logementsCents }],
        [L.subUrbaines, { cents: r.subsidies.urbainesEtatRegion2021_2022Cents }],
        [L.subDecided, { cents: r.subsidies.decided.cents }],
        [L.subPaid, { cents: r.subsidies.paid.cents }],
        [L.insLogementsHours, r.insertion.logementsHours],
        [L.insRecruited, r.insertion.logementsRecruited],
        [L.insRsa, r.insertion.logementsRsa],
        [L.insProgrammeHours, r.insertion.programmeHours],
        [L.insDeld, r.insertion.programmeParticipantsDeld],
      ],
    },
    { sheet: 'Par EPCI', title: L.byEpci, head: [L.code, L.epci, L.livresCol, L.part], rows: lg.byEpci.map((g) => [g.key, g.label, g.delivered, share(g.delivered, lg.delivered)]) },
    { sheet: 'Par bailleur', title: L.byBailleur, head: [L.code, L.bailleur, L.livresCol, L.part], rows: lg.byBailleur.map((g) => [g.key, g.label, g.delivered, share(g.delivered, lg.delivered)]) },
    { sheet: 'Par cité', title: L.byCite, head: [L.code, L.cite, L.livresCol, L.part], rows: lg.byCite.map((g) => [g.key, g.label, g.delivered, share(g.delivered, lg.delivered)]) },
    { sheet: 'Par financeur', title: L.byFinancer, head: [L.code, L.financeur, L.livresCol], rows: lg.byFinancer.map((g) => [g.key, g.label, g.delivered]) },
    {
      sheet: 'Par axe',
      title: L.byAxis,
      head: [L.code, L.axe, L.livresCol, L.decide, L.verse, L.heures],
      rows: r.byAxis.map((a) => [a.code, a.label, a.logementsDelivered, { cents: a.subsidiesDecided.cents }, { cents: a.subsidiesPaid.cents }, a.insertionHours]),
    },
    {
      sheet: 'Phases',
      title: L.sections.operations,
      head: [L.operationsCol, L.terminees, L.enTravaux],
      rows: [
        [L.opLogements, r.operations.logements.terminees, r.operations.logements.enTravaux],
        [L.opUrbaines, r.operations.urbaines.terminees, r.operations.urbaines.enTravaux],
      ],
    },
    { sheet: 'Phases', title: L.phasesLogements, head: [L.type, L.financement, L.phase, L.operationsCol, L.logementsPrevus], rows: phaseRows(r.operations.logements.byPhase) },
    { sheet: 'Phases', title: L.phasesUrbaines, head: [L.type, L.financement, L.phase, L.operationsCol, L.logementsPrevus], rows: phaseRows(r.operations.urbaines.byPhase) },
    {
      sheet: 'Subventions',
      title: L.subByFinancer,
      head: [L.financeur, L.decide, L.verse],
      rows: [...r.subsidies.byFinancer.map((f): Cell[] => [f.financer, { cents: f.decided.cents }, { cents: f.paid.cents }]), ['Total', { cents: r.subsidies.decided.cents }, { cents: r.subsidies.paid.cents }]],
    },
    {
      sheet: 'Subventions',
      title: L.subDetail,
      head: [L.financeur, L.epci, L.axe, L.dispositif, L.annee, L.decide, L.verse],
      rows: r.subsidies.byFinancerAxisDispositifYear.map((s) => [s.keys.financer ?? '', s.keys.epci ?? '', s.keys.axis ?? '', s.keys.dispositif ?? '', s.keys.year ?? '', { cents: s.decidedCents }, { cents: s.paidCents }]),
    },
    {
      sheet: 'Insertion',
      title: L.sections.insertion,
      head: [L.indicateur, L.valeur],
      rows: [
        [L.insLogementsHours, r.insertion.logementsHours],
        [L.insRecruited, r.insertion.logementsRecruited],
        [L.insRsa, r.insertion.logementsRsa],
        [L.insProgrammeHours, r.insertion.programmeHours],
        [L.insDeld, r.insertion.programmeParticipantsDeld],
        [L.insByPublic, p ? [p.participants.deld, p.participants.rsa, p.participants.jeunes, p.participants.rqth, p.participants.autres].join(' / ') : null],
      ],
    },
    { sheet: 'Insertion', title: L.insByYear, head: [L.annee, L.heures, L.participants, L.recrutements], rows: r.insertion.byYear.map((y) => [y.keys.year ?? '', y.hours, y.participants.total, y.recruitments.total]) },
    {
      sheet: 'Énergie',
      title: L.sections.energie,
      head: [L.indicateur, L.valeur],
      rows: [
        [L.enLogements, e.logements],
        [L.enBefore, e.averageBeforeKwhPerM2Year],
        [L.enAfter, e.averageAfterKwhPerM2Year],
        [L.enUnderGoal(e.goalKwhPerM2Year), e.logementsUnderGoal],
        [L.enShare, e.shareUnderGoal === null ? null : { percent: Math.round(e.shareUnderGoal * 1000) / 10 }],
      ],
    },
    { sheet: 'Énergie', title: 'Étiquettes DPE', head: [L.dpeClasse, L.avant, L.apres], rows: DPE_CLASSES.map((c) => [c, e.dpeBefore[c] ?? 0, e.dpeAfter[c] ?? 0]) },
  ];
}

/** French number with normal spaces as thousands separators (no U+202F / U+00A0: the PDF standard fonts are WinAnsi). */
export const frNumber = (v: number): string => v.toLocaleString('fr-FR', { maximumFractionDigits: 1 }).replace(/[\u202f\u00a0]/g, ' ');

/** Cents → "95 800 000,00 €" (grouped) without floating point. */
export function frEuros(cents: number): string {
  const [int, dec] = centsToEur(cents).split('.');
  const sign = int.startsWith('-') ? '-' : '';
  const digits = int.replace('-', '');
  return `${sign}${digits.replace(/\B(?=(\d{3})+(?!\d))/g, ' ')},${dec} €`;
}

export const frPercent = (v: number): string => `${v.toLocaleString('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} %`;

/** French date DD/MM/YYYY from an ISO date; a date-time keeps its UTC time. */
export function frDate(iso: string): string {
  const d = iso.slice(0, 10).split('-').reverse().join('/');
  return iso.length > 10 ? `${d} ${iso.slice(11, 16)} UTC` : d;
}

/** A cell as display text (HTML, PDF). */
export function cellText(c: Cell): string {
  if (c === null) return '—';
  if (typeof c === 'string') return c;
  if (typeof c === 'number') return frNumber(c);
  if ('cents' in c) return frEuros(c.cents);
  return frPercent(c.percent);
}

export const isNumeric = (c: Cell): boolean => c !== null && typeof c !== 'string';

/** Header line shared by HTML and PDF: "Situation au 31/12/2022 — connaissances au 16/01/2023 00:00 UTC". */
export const situationLine = (r: BilanReport): string => `${L.situationAu} ${frDate(r.asOf)} — ${r.knownAt ? `${L.connaissancesAu} ${frDate(r.knownAt)}` : L.connaissancesNow}`;
