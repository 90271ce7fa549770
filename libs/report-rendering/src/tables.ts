import {
  type BilanReport,
  DISPOSITIF_LABELS,
  DPE_CLASSES,
  FINANCING_LABELS,
  KIND_LABELS,
  L,
  PHASE_LABELS,
  PHASE_ORDER,
  centsToEur,
  frLongDate,
  knowledgeLine,
  subUrbainesLabel,
} from '@erbm/reporting';

/**
 * A value of a report table: text, a count, money in integer cents, a percentage (0–100, one decimal), a date (ISO
 * `YYYY-MM-DD`, written « 31 décembre 2027 » and stored as a date in XLSX), or nothing.
 */
export type Cell = string | number | { cents: number } | { percent: number } | { date: string } | null;

export type SheetName = (typeof L.sheets)[number];

/** One table of the bilan, rendered identically by CSV, XLSX, HTML and PDF. */
export interface ReportTable {
  /** The chapter the table belongs to (HTML and PDF). */
  sheet: SheetName;
  /** Its own name: the XLSX sheet and the CSV file (unique, at most 31 characters). */
  name: string;
  title: string;
  /** Column headers, units included (« Décidé (€) », « Heures d’insertion (h) »). */
  head: string[];
  rows: Cell[][];
  /** Sentences written under the table (definitions, how to read it). */
  notes?: string[];
}

const share = (part: number, total: number): Cell => (total ? { percent: Math.round((part / total) * 1000) / 10 } : null);

/** The share of a figure of the report that comes from estimated events (`BilanReport.estimates`), as a percentage cell. */
export const estimatedCell = (r: BilanReport, key: string): Cell => {
  const s = r.estimates?.[key]?.share;
  return s === null || s === undefined ? null : { percent: Math.round(s * 1000) / 10 };
};

const phaseRank = (p: string): number => {
  const i = PHASE_ORDER.indexOf(p);
  return i < 0 ? PHASE_ORDER.length : i;
};

/** A financer's, EPCI's or axis's French name (`BilanReport.names`), the code when the reference data has none. */
export const nameOf = (r: BilanReport, kind: 'financer' | 'epci' | 'axis', code: string | undefined): string => (code === undefined ? '' : (r.names?.[kind][code] ?? code));

/** The bilan as the ordered list of its tables (the section structure of the published review). */
export function bilanTables(r: BilanReport): ReportTable[] {
  const lg = r.logements;
  const e = r.energy;
  const p = r.insertion.programme;
  const est = (key: string) => estimatedCell(r, key);
  const phaseRows = (rows: BilanReport['operations']['logements']['byPhase']): Cell[][] =>
    [...rows]
      .sort((a, b) => a.kind.localeCompare(b.kind) || (a.financing ?? '').localeCompare(b.financing ?? '') || phaseRank(a.phase) - phaseRank(b.phase))
      .map((x) => [
        KIND_LABELS[x.kind] ?? x.kind,
        x.financing ? (FINANCING_LABELS[x.financing] ?? x.financing) : '—',
        PHASE_LABELS[x.phase] ?? x.phase,
        x.operations,
        share(x.operationsEstimated, x.operations),
        x.plannedLogements,
      ]);
  const groupTable = (sheet: SheetName, name: string, title: string, col: string, dim: 'byEpci' | 'byBailleur' | 'byCite' | 'byAxis'): ReportTable => ({
    sheet,
    name,
    title,
    head: [col, `${L.livresCol} (nombre)`, `${L.part} (%)`, `${L.partEstimee} (%)`],
    rows: lg[dim].map((g) => [dim === 'byAxis' ? `${g.key} — ${nameOf(r, 'axis', g.key)}` : g.label, g.delivered, share(g.delivered, lg.delivered), est(`logements.${dim}.${g.key}`)]),
    notes: [L.estimeNote],
  });
  const financerSum = lg.byFinancer.reduce((s, g) => s + g.delivered, 0);
  const aided = lg.deliveredWithFinancer;
  const n = (v: number) => v.toLocaleString('fr-FR').replace(/[\u202f\u00a0]/g, ' ');
  return [
    {
      sheet: 'Synthèse',
      name: 'Synthèse',
      title: L.sections.synthese,
      head: [L.indicateur, L.valeur, `${L.partEstimee} (%)`],
      rows: [
        [L.objectif, lg.target, null],
        [L.livres, lg.delivered, est('logements.delivered')],
        [L.taux, lg.percentage === null ? null : { percent: lg.percentage }, est('logements.delivered')],
        [L.echeance, r.programme.targetDate === null ? null : { date: r.programme.targetDate }, null],
        [`${L.opLogements} — ${L.terminees.toLowerCase()}`, r.operations.logements.terminees, est('operations.logements.terminees')],
        [`${L.opLogements} — ${L.enTravaux.toLowerCase()}`, r.operations.logements.enTravaux, est('operations.logements.enTravaux')],
        [`${L.opUrbaines} — ${L.terminees.toLowerCase()}`, r.operations.urbaines.terminees, est('operations.urbaines.terminees')],
        [`${L.opUrbaines} — ${L.enTravaux.toLowerCase()}`, r.operations.urbaines.enTravaux, est('operations.urbaines.enTravaux')],
        [`${L.subLogements} (€)`, { cents: r.subsidies.logementsCents }, est('subsidies.logementsEur')],
        [`${subUrbainesLabel(r.asOf)} (€)`, { cents: r.subsidies.urbainesEtatRegion2021_2022Cents }, est('subsidies.urbainesEtatRegion2021_2022Eur')],
        [`${L.subDecided} (€)`, { cents: r.subsidies.decided.cents }, est('subsidies.decided')],
        [`${L.subPaid} (€)`, { cents: r.subsidies.paid.cents }, est('subsidies.paid')],
        [`${L.insLogementsHours} (h)`, r.insertion.logementsHours, est('insertion.logementsHours')],
        [L.insRecruited, r.insertion.logementsRecruited, est('insertion.logementsRecruited')],
        [L.insRsa, r.insertion.logementsRsa, est('insertion.logementsRsa')],
        [`${L.insProgrammeHours} (h)`, r.insertion.programmeHours, est('insertion.programmeHours')],
        [L.insDeld, r.insertion.programmeParticipantsDeld, est('insertion.programmeParticipantsDeld')],
      ],
      notes: [L.estimeNote, L.enTravauxNote],
    },
    groupTable('Par EPCI', 'Par EPCI', L.byEpci, L.epci, 'byEpci'),
    groupTable('Par bailleur', 'Par bailleur', L.byBailleur, L.bailleur, 'byBailleur'),
    groupTable('Par cité', 'Par cité', L.byCite, L.cite, 'byCite'),
    groupTable('Par cité', 'Par axe', L.byAxis, L.axe, 'byAxis'),
    {
      sheet: 'Par financeur',
      name: 'Par financeur',
      title: L.byFinancer,
      head: [L.financeur, `${L.livresCol} (nombre)`, `${L.partEstimee} (%)`],
      rows: [
        ...lg.byFinancer.map((g): Cell[] => [g.label, g.delivered, est(`logements.byFinancer.${g.key}`)]),
        ...(aided ? [[L.totalDistinct, aided.delivered, share(aided.deliveredEstimated, aided.delivered)] as Cell[]] : []),
      ],
      notes: [L.financerNote(n(financerSum), aided ? n(aided.delivered) : '—'), L.estimeNote],
    },
    {
      sheet: 'Par axe',
      name: 'Axes du programme',
      title: L.axisTable,
      head: [L.code, L.axe, `${L.livresCol} (nombre)`, `${L.partEstimee} (%)`, L.decide, L.verse, L.heures],
      rows: r.byAxis.map((a) => [a.code, a.label, a.logementsDelivered, est(`logements.byAxis.${a.code}`), { cents: a.subsidiesDecided.cents }, { cents: a.subsidiesPaid.cents }, a.insertionHours]),
      notes: [L.estimeNote],
    },
    {
      sheet: 'Phases',
      name: 'Opérations',
      title: L.sections.operations,
      head: [L.operationsCol, `${L.terminees} (nombre)`, `${L.partEstimee} (%)`, `${L.enTravaux} (nombre)`, `${L.partEstimee} (%)`],
      rows: [
        [L.opLogements, r.operations.logements.terminees, est('operations.logements.terminees'), r.operations.logements.enTravaux, est('operations.logements.enTravaux')],
        [L.opUrbaines, r.operations.urbaines.terminees, est('operations.urbaines.terminees'), r.operations.urbaines.enTravaux, est('operations.urbaines.enTravaux')],
      ],
      notes: [L.enTravauxNote],
    },
    {
      sheet: 'Phases',
      name: 'Phases logements',
      title: L.phasesLogements,
      head: [L.type, L.financement, L.phase, `${L.operationsCol} (nombre)`, `${L.partEstimee} (%)`, `${L.logementsPrevus} (nombre)`],
      rows: phaseRows(r.operations.logements.byPhase),
      notes: [L.enTravauxNote],
    },
    {
      sheet: 'Phases',
      name: 'Phases urbaines',
      title: L.phasesUrbaines,
      head: [L.type, L.financement, L.phase, `${L.operationsCol} (nombre)`, `${L.partEstimee} (%)`, `${L.logementsPrevus} (nombre)`],
      rows: phaseRows(r.operations.urbaines.byPhase),
    },
    {
      sheet: 'Subventions',
      name: 'Subventions par financeur',
      title: L.subByFinancer,
      head: [L.financeur, L.decide, `${L.partEstimeeDecide} (%)`, L.verse, `${L.partEstimeeVerse} (%)`],
      rows: [
        ...r.subsidies.byFinancer.map((f): Cell[] => [
          f.label,
          { cents: f.decided.cents },
          est(`subsidies.byFinancer.${f.financer}.decided`),
          { cents: f.paid.cents },
          est(`subsidies.byFinancer.${f.financer}.paid`),
        ]),
        ['Total', { cents: r.subsidies.decided.cents }, est('subsidies.decided'), { cents: r.subsidies.paid.cents }, est('subsidies.paid')],
      ],
      notes: [L.estimeNote],
    },
    {
      sheet: 'Subventions',
      name: 'Subventions détaillées',
      title: L.subDetail,
      head: [L.financeur, L.epci, L.axe, L.dispositif, L.annee, L.decide, `${L.partEstimeeDecide} (%)`, L.verse, `${L.partEstimeeVerse} (%)`],
      rows: r.subsidies.byFinancerAxisDispositifYear.map((s) => [
        nameOf(r, 'financer', s.keys.financer),
        nameOf(r, 'epci', s.keys.epci),
        s.keys.axis ? `${s.keys.axis} — ${nameOf(r, 'axis', s.keys.axis)}` : '',
        s.keys.dispositif ? (DISPOSITIF_LABELS[s.keys.dispositif] ?? s.keys.dispositif) : '',
        s.keys.year ? Number(s.keys.year) : null,
        { cents: s.decidedCents },
        share(s.decidedEstimatedCents, s.decidedCents),
        { cents: s.paidCents },
        share(s.paidEstimatedCents, s.paidCents),
      ]),
    },
    {
      sheet: 'Insertion',
      name: 'Insertion',
      title: L.sections.insertion,
      head: [L.indicateur, L.valeur, `${L.partEstimee} (%)`],
      rows: [
        [`${L.insLogementsHours} (h)`, r.insertion.logementsHours, est('insertion.logementsHours')],
        [L.insRecruited, r.insertion.logementsRecruited, est('insertion.logementsRecruited')],
        [L.insRsa, r.insertion.logementsRsa, est('insertion.logementsRsa')],
        [`${L.insProgrammeHours} (h)`, r.insertion.programmeHours, est('insertion.programmeHours')],
        [L.insDeld, r.insertion.programmeParticipantsDeld, est('insertion.programmeParticipantsDeld')],
        [
          L.insByPublic,
          p ? [p.participants.deld, p.participants.rsa, p.participants.jeunes, p.participants.rqth, p.participants.autres].join(' / ') : null,
          p ? share(p.estimated.participants.total, p.participants.total) : null,
        ],
      ],
      notes: [L.estimeNote],
    },
    {
      sheet: 'Insertion',
      name: 'Insertion par année',
      title: L.insByYear,
      head: [L.annee, `${L.heures} (h)`, `${L.partEstimee} (%)`, `${L.participants} (nombre)`, `${L.recrutements} (nombre)`],
      rows: r.insertion.byYear.map((y) => [y.keys.year ? Number(y.keys.year) : null, y.hours, est(`insertion.byYear.${y.keys.year ?? ''}.hours`), y.participants.total, y.recruitments.total]),
    },
    {
      sheet: 'Énergie',
      name: 'Énergie',
      title: L.sections.energie,
      head: [L.indicateur, L.valeur, `${L.partEstimee} (%)`],
      rows: [
        [L.enLogements, e.logements, est('energy.logements')],
        [L.enBefore, e.averageBeforeKwhPerM2Year, est('energy.averageBeforeKwhPerM2Year')],
        [L.enAfter, e.averageAfterKwhPerM2Year, est('energy.averageAfterKwhPerM2Year')],
        [L.enUnderGoal(e.goalKwhPerM2Year), e.logementsUnderGoal, est('energy.logementsUnderGoal')],
        [`${L.enShare} (%)`, e.shareUnderGoal === null ? null : { percent: Math.round(e.shareUnderGoal * 1000) / 10 }, est('energy.logementsUnderGoal')],
      ],
      notes: [L.estimeNote],
    },
    {
      sheet: 'Énergie',
      name: 'Étiquettes DPE',
      title: 'Étiquettes DPE',
      head: [L.dpeClasse, `${L.avant} (logements)`, `${L.partEstimee} (%)`, `${L.apres} (logements)`, `${L.partEstimee} (%)`],
      rows: DPE_CLASSES.map((c) => [c, e.dpeBefore[c] ?? 0, est(`energy.dpeBefore.${c}`), e.dpeAfter[c] ?? 0, est(`energy.dpeAfter.${c}`)]),
    },
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

/** French date DD/MM/YYYY from an ISO date. */
export const frDate = (iso: string): string => iso.slice(0, 10).split('-').reverse().join('/');

/** A cell as display text (HTML, PDF). Years (integers 1900–2100 in a year column) are written without separator by the caller. */
export function cellText(c: Cell): string {
  if (c === null) return '—';
  if (typeof c === 'string') return c;
  if (typeof c === 'number') return frNumber(c);
  if ('cents' in c) return frEuros(c.cents);
  if ('date' in c) return frLongDate(c.date);
  return frPercent(c.percent);
}

export const isNumeric = (c: Cell): boolean => c !== null && typeof c !== 'string' && !(typeof c === 'object' && 'date' in c);

/** The text of a cell in a column: a year column (`L.annee`) keeps its digits together (« 2022 », not « 2 022 »). */
export const columnText = (head: string, c: Cell): string => (head === L.annee && typeof c === 'number' ? String(c) : cellText(c));

/**
 * Header line shared by every format: « Situation au 31 décembre 2022 — Connaissances au 16 janvier 2023 à 1 h 00
 * (heure de Paris) »; a report of everything recorded gives the time it was produced (`producedAt`, default now).
 */
export const situationLine = (r: BilanReport, producedAt?: string): string => `${L.situationAu} ${frLongDate(r.asOf)} — ${knowledgeLine(r.knownAt, producedAt)}`;

/** The estimated shares the sources section states: logements livrés, subsidies decided and paid, insertion hours. */
export function estimatedSummary(r: BilanReport): string {
  const pc = (key: string) => {
    const s = r.estimates?.[key]?.share;
    return s === null || s === undefined ? '—' : frPercent(Math.round(s * 1000) / 10);
  };
  return (
    `Chiffres estimés : ${pc('logements.delivered')} des logements livrés, ${pc('subsidies.decided')} des subventions décidées, ${pc('subsidies.paid')} des subventions versées ` +
    `et ${pc('insertion.programmeHours')} des heures d’insertion proviennent d’événements marqués « estimé » (répartitions plausibles de totaux publiés, dans l’attente des déclarations) ; ` +
    'la colonne « Part estimée » de chaque tableau le précise chiffre par chiffre.'
  );
}
