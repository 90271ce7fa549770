import { type BilanReport } from '../bilan/bilan-report';
import { type ProgressGroup } from '../progress/logements.queries';

export { figureLink } from './figure-link';

/**
 * The catalogue of the figures of the bilan: ONE list, read by the bilan (the keys of its `figures` section), the
 * drill-down (the ledger rows behind a figure, `drilldown/figures.ts`) and the comparison with the published figures
 * (`bilan/published.ts`). Each entry gives, for a family of keys: the key pattern, how to list its keys in a report,
 * the value selector (the figure in the report, in `unit`), the ledger filter (which ledger rows add up to it), the
 * unit, the French label and the source (the `BilanReport` field it is read from). Keys are stable
 * (`logements.byEpci.CALL`, `subsidies.byFinancer.ETAT.decided`…) and listed in a fixed order.
 */

/** Where a figure's rows come from: `rm_delivery_ledger`, `rm_grant_ledger`, `rm_insertion_ledger`, `rm_operation_step`. */
export type Ledger = 'delivery' | 'grant' | 'insertion' | 'step';

export type FigureUnit = 'logements' | 'cents' | 'hours' | 'persons' | 'operations' | 'kWhEP/m².an';

/** Which ledger rows add up to a figure, filtered exactly as the figure's own SQL. */
export interface LedgerFilter {
  ledger: Ledger;
  /** Extra SQL conditions on the ledger (alias `l`), `$n` placeholders numbered from `params`. */
  where: (params: unknown[]) => string[];
  /** SQL expression of one row's contribution. */
  contribution: string;
  /** Set for averages: contributions are weights × value / total weight, rounded; their sum is the unrounded figure. */
  average?: { value: string };
}

/** One figure of the catalogue, resolved for its key. */
export interface FigureDefinition {
  key: string;
  unit: FigureUnit;
  /** What the figure counts, in French. */
  label: string;
  /** Where the figure is read in the bilan (`BilanReport` path). */
  source: string;
  /** The figure in a report, in `unit` (money in cents), or null when the report has no such figure. */
  value: (r: BilanReport) => number | null;
  /** The ledger rows behind it; absent when the figure cannot be drilled into (the programme's target). */
  filter?: LedgerFilter;
}

/** A figure that can be drilled into: its definition with its ledger filter. */
export type FigureSpec = Omit<FigureDefinition, 'filter' | 'value'> & LedgerFilter;

/** One family of keys of the catalogue. */
interface FigureFamily {
  pattern: RegExp;
  /** The keys of this family in a report (drillable families only), in their fixed order. */
  keys?: (r: Omit<BilanReport, 'figures'>) => string[];
  define: (m: RegExpExecArray) => Omit<FigureDefinition, 'key'>;
}

const eq = (expr: string, value: string) => (params: unknown[]) => {
  params.push(value);
  return [`${expr} = $${params.length}`];
};
const none = () => [];

const FINANCER_OF_DELIVERY = (code: string) => (params: unknown[]) => {
  params.push(code);
  return [`l.operation_id IN (SELECT operation_id FROM rm_grant_ledger WHERE movement = 'decided' AND effective_on <= $1 AND recorded_at <= $2::timestamptz AND financer_code = $${params.length})`];
};
const PUBLICS = ['deld', 'rsa', 'jeunes', 'rqth', 'autres'];
const RECRUITED = PUBLICS.map((p) => `l.recruitments_${p}`).join(' + ');
const LOGEMENTS_SUBSIDY = (params: unknown[]) => {
  params.push(['etat', 'region', 'epci']);
  return [`l.financer_category = ANY($${params.length})`, "l.operation_kind = 'logements'"];
};
const URBAN_SUBSIDY = (params: unknown[]) => {
  params.push(['etat', 'region']);
  return [`l.financer_category = ANY($${params.length})`, "l.operation_kind = 'urbaine'", "l.effective_on >= '2021-01-01'", "l.effective_on <= '2022-12-31'"];
};
const OPERATIONS = (kind: 'logements' | 'urbaine', phases: string[]) => (params: unknown[]) => {
  params.push(phases);
  const erbm = kind === 'logements' ? " AND o.financing = 'erbm'" : '';
  return [`l.operation_kind_ = '${kind}'${erbm}`, `l.phase_ = ANY($${params.length})`];
};

const delivery = (where: LedgerFilter['where'], contribution = 'l.logements'): LedgerFilter => ({ ledger: 'delivery', where, contribution });
const grant = (where: LedgerFilter['where'], column: 'decided_cents' | 'paid_cents'): LedgerFilter => ({ ledger: 'grant', where, contribution: `l.${column}` });
const insertion = (where: LedgerFilter['where'], contribution: string): LedgerFilter => ({ ledger: 'insertion', where, contribution });
const logementsKind = eq('l.operation_kind', 'logements');

/** Delivery groups of the bilan: report list and ledger column (`byFinancer` is read through the grant ledger). */
const DELIVERY_GROUPS = {
  byEpci: 'l.epci_code',
  byBailleur: 'l.bailleur_code',
  byCite: 'l.cite_id',
  byFinancer: null,
  byAxis: 'l.axis_code',
  byFinancing: 'l.financing',
  byYear: "to_char(l.delivered_on,'YYYY')",
} as const;
type DeliveryGroup = keyof typeof DELIVERY_GROUPS;

/** A figure read at one place of the report (no key parameter). */
const single = (key: string, d: Omit<FigureDefinition, 'key'>): FigureFamily => ({
  pattern: new RegExp(`^${key.replace(/\./g, '\\.')}$`),
  ...(d.filter ? { keys: () => [key] } : {}),
  define: () => d,
});

/** The catalogue, in the order of the keys of a report's `figures` section. */
const CATALOGUE: FigureFamily[] = [
  single('logements.target', {
    unit: 'logements', label: 'Objectif de logements à rénover', source: 'logements.target',
    value: (r) => r.logements.target,
  }),
  single('logements.delivered', {
    unit: 'logements', label: 'Logements livrés', source: 'logements.delivered',
    value: (r) => r.logements.delivered, filter: delivery(none),
  }),
  ...(Object.keys(DELIVERY_GROUPS) as DeliveryGroup[]).map((name): FigureFamily => ({
    pattern: new RegExp(`^logements\\.${name}\\.(.+)$`),
    keys: (r) => r.logements[name].map((g) => `logements.${name}.${g.key}`),
    define: (m) => {
      const column = DELIVERY_GROUPS[name];
      return {
        unit: 'logements',
        label: column ? `Logements livrés (${name} = ${m[1]})` : `Logements livrés sur les opérations financées par ${m[1]}`,
        source: `logements.${name}[key = ${m[1]}].delivered`,
        value: (r) => r.logements[name].find((g: ProgressGroup) => g.key === m[1])?.delivered ?? 0,
        filter: delivery(column ? eq(column, m[1]) : FINANCER_OF_DELIVERY(m[1])),
      };
    },
  })),
  {
    pattern: /^operations\.(logements|urbaines)\.(terminees|enTravaux)$/,
    keys: () => ['logements', 'urbaines'].flatMap((kind) => [`operations.${kind}.terminees`, `operations.${kind}.enTravaux`]),
    define: (m) => {
      const name = m[1] as 'logements' | 'urbaines';
      const state = m[2] as 'terminees' | 'enTravaux';
      const kind = name === 'logements' ? 'logements' : 'urbaine';
      return {
        unit: 'operations',
        label: `Opérations ${name} ${state === 'terminees' ? 'terminées' : 'en travaux'}`,
        source: `operations.${name}.${state}`,
        value: (r) => r.operations[name][state],
        filter: { ledger: 'step', where: OPERATIONS(kind, state === 'terminees' ? ['terminee'] : ['travaux', 'livraisons']), contribution: '1' },
      };
    },
  },
  {
    pattern: /^subsidies\.logements(Eur|Cents)$/,
    keys: () => ['subsidies.logementsEur'],
    define: () => ({
      unit: 'cents', label: 'Subventions État, Région, EPCI décidées pour les opérations de logements', source: 'subsidies.logementsCents',
      value: (r) => r.subsidies.logementsCents, filter: grant(LOGEMENTS_SUBSIDY, 'decided_cents'),
    }),
  },
  {
    pattern: /^subsidies\.urbainesEtatRegion2021_2022(Eur|Cents)$/,
    keys: () => ['subsidies.urbainesEtatRegion2021_2022Eur'],
    define: () => ({
      unit: 'cents', label: 'Subventions État et Région décidées en 2021–2022 pour les opérations urbaines', source: 'subsidies.urbainesEtatRegion2021_2022Cents',
      value: (r) => r.subsidies.urbainesEtatRegion2021_2022Cents, filter: grant(URBAN_SUBSIDY, 'decided_cents'),
    }),
  },
  single('subsidies.decided', {
    unit: 'cents', label: 'Subventions décidées', source: 'subsidies.decided.cents',
    value: (r) => r.subsidies.decided.cents, filter: grant(none, 'decided_cents'),
  }),
  single('subsidies.paid', {
    unit: 'cents', label: 'Subventions versées', source: 'subsidies.paid.cents',
    value: (r) => r.subsidies.paid.cents, filter: grant(none, 'paid_cents'),
  }),
  {
    pattern: /^subsidies\.byFinancer\.(.+)\.(decided|paid)$/,
    keys: (r) => r.subsidies.byFinancer.flatMap((f) => [`subsidies.byFinancer.${f.financer}.decided`, `subsidies.byFinancer.${f.financer}.paid`]),
    define: (m) => {
      const movement = m[2] as 'decided' | 'paid';
      return {
        unit: 'cents',
        label: `Subventions ${movement === 'decided' ? 'décidées' : 'versées'} par ${m[1]}`,
        source: `subsidies.byFinancer[financer = ${m[1]}].${movement}.cents`,
        value: (r) => r.subsidies.byFinancer.find((x) => x.financer === m[1])?.[movement].cents ?? 0,
        filter: grant(eq('l.financer_code', m[1]), movement === 'decided' ? 'decided_cents' : 'paid_cents'),
      };
    },
  },
  single('insertion.logementsHours', {
    unit: 'hours', label: "Heures d'insertion (opérations de logements)", source: 'insertion.logementsHours',
    value: (r) => r.insertion.logementsHours, filter: insertion(logementsKind, 'l.hours'),
  }),
  single('insertion.logementsRecruited', {
    unit: 'persons', label: 'Recrutements (opérations de logements)', source: 'insertion.logementsRecruited',
    value: (r) => r.insertion.logementsRecruited, filter: insertion(logementsKind, RECRUITED),
  }),
  single('insertion.logementsRsa', {
    unit: 'persons', label: 'Recrutements de bénéficiaires du RSA (opérations de logements)', source: 'insertion.logementsRsa',
    value: (r) => r.insertion.logementsRsa, filter: insertion(logementsKind, 'l.recruitments_rsa'),
  }),
  single('insertion.programmeHours', {
    unit: 'hours', label: "Heures d'insertion (programme)", source: 'insertion.programmeHours',
    value: (r) => r.insertion.programmeHours, filter: insertion(none, 'l.hours'),
  }),
  single('insertion.programmeParticipantsDeld', {
    unit: 'persons', label: 'Participants demandeurs d’emploi de longue durée (programme)', source: 'insertion.programmeParticipantsDeld',
    value: (r) => r.insertion.programmeParticipantsDeld, filter: insertion(none, 'l.participants_deld'),
  }),
  ...(['byEpci', 'byYear'] as const).map((name): FigureFamily => {
    const dimension = name === 'byEpci' ? 'epci' : 'year';
    return {
      pattern: new RegExp(`^insertion\\.${name}\\.(.+)\\.hours$`),
      keys: (r) => r.insertion[name].map((row) => `insertion.${name}.${row.keys[dimension] ?? ''}.hours`),
      define: (m) => ({
        unit: 'hours',
        label: `Heures d'insertion (${name} = ${m[1]})`,
        source: `insertion.${name}[${dimension} = ${m[1]}].hours`,
        value: (r) => r.insertion[name].find((x) => x.keys[dimension] === m[1])?.hours ?? 0,
        filter: insertion(eq(name === 'byEpci' ? 'l.epci_code' : "to_char(l.period_end,'YYYY')", m[1]), 'l.hours'),
      }),
    };
  }),
  single('energy.logements', {
    unit: 'logements', label: 'Logements livrés (résultats énergétiques)', source: 'energy.logements',
    value: (r) => r.energy.logements, filter: delivery(none),
  }),
  single('energy.logementsUnderGoal', {
    unit: 'logements', label: "Logements livrés sous l'objectif de consommation", source: 'energy.logementsUnderGoal',
    // $3 is the goal in force at asOf, pushed by `figureRows`.
    value: (r) => r.energy.logementsUnderGoal, filter: delivery(() => ['l.energy_after_kwh < $3']),
  }),
  ...(['averageBeforeKwhPerM2Year', 'averageAfterKwhPerM2Year'] as const).map((name) =>
    single(`energy.${name}`, {
      unit: 'kWhEP/m².an', label: 'Consommation moyenne pondérée par les logements', source: `energy.${name}`,
      value: (r) => r.energy[name],
      filter: { ...delivery(none), average: { value: name === 'averageBeforeKwhPerM2Year' ? 'l.energy_before_kwh' : 'l.energy_after_kwh' } },
    }),
  ),
  ...(['dpeBefore', 'dpeAfter'] as const).map((name): FigureFamily => ({
    pattern: new RegExp(`^energy\\.${name}\\.(.+)$`),
    keys: (r) => Object.keys(r.energy[name]).map((c) => `energy.${name}.${c}`),
    define: (m) => ({
      unit: 'logements',
      label: `Logements livrés en classe ${m[1]}`,
      source: `energy.${name}.${m[1]}`,
      value: (r) => r.energy[name][m[1]] ?? 0,
      filter: delivery(eq(name === 'dpeBefore' ? 'l.dpe_before' : 'l.dpe_after', m[1])),
    }),
  })),
];

/** The definition of a figure key, or null when the key names no figure of the catalogue. */
export function figureDefinition(key: string): FigureDefinition | null {
  for (const family of CATALOGUE) {
    const m = family.pattern.exec(key);
    if (m) return { key, ...family.define(m) };
  }
  return null;
}

/** The drill-down specification of a figure key, or null when the key names no figure that can be drilled into. */
export function figureSpec(key: string): FigureSpec | null {
  const d = figureDefinition(key);
  if (!d?.filter) return null;
  return { key, unit: d.unit, label: d.label, source: d.source, ...d.filter };
}

/**
 * The value of a figure in a report, in the unit of its drill-down (`cents` for money, unrounded averages are
 * compared with their rounding), or null when the report has no such figure.
 */
export function bilanFigureValue(r: BilanReport, key: string): number | null {
  const d = figureDefinition(key);
  return d?.filter ? d.value(r) : null;
}

/** The keys of every figure of a report that can be drilled into (see `figureSpec`), in a fixed order. */
export function bilanFigureKeys(r: Omit<BilanReport, 'figures'>): string[] {
  return CATALOGUE.flatMap((family) => family.keys?.(r) ?? []);
}
