import { figureDefinition } from '../figures/catalogue';
import { type AsOf, type Sql, knownAtParam, num } from '../shared/as-of';
import { buildBilan } from './bilan';
import { type BilanReport } from './bilan-report';

/**
 * How a source words a figure, and the values that reproduce it (data/erbm/README.md, « Précision des chiffres »):
 * - `exact` (« 4 opérations », « 233 557 heures »): v = X;
 * - `plus de` (« plus de 8 000 logements »): X < v ≤ 1,10 × X (a writer with more than 10 % above X would have
 *   written the next round figure);
 * - `près de` (« près de 96 M€ »): 0,95 × X ≤ v ≤ X.
 */
export type Precision = 'exact' | 'plus de' | 'près de';
export const PRECISIONS: readonly Precision[] = ['exact', 'plus de', 'près de'];

/**
 * A dated quantitative statement of the sources (data/erbm/published-figures.json; seeds 000–004, REFERENCE.md §7):
 * the figure `key` (a dotted key of the bilan, or one of `REFERENCE_FIGURE_KEYS`), its value `value` in the figure's
 * unit (euros for `…Eur`, hours, logements, operations, cités, persons) as of `asOf` (ISO date), worded with
 * `precision`, in `document` (`000`…`004`), `quote` the words of the source.
 */
export interface PublishedFigure {
  key: string;
  asOf: string;
  value: number;
  precision: Precision;
  label: string;
  document: string;
  quote: string;
  source: string;
}

/**
 * A figure of the report by its catalogue key (`insertion.logementsHours`, `figures/catalogue.ts`), in the unit of
 * the published figures: the catalogue's unit, except money in whole euros (cents / 100, truncated). Null when the
 * key names no figure of the catalogue or the report has none (no target yet).
 */
export function figureOf(report: BilanReport, key: string): number | null {
  const figure = figureDefinition(key);
  const value = figure ? figure.value(report) : null;
  return value !== null && figure?.unit === 'cents' ? Math.trunc(value / 100) : value;
}

/** Whether `actual` reproduces the figure within its precision (see `Precision`); `null` never does. */
export function matchesPublished(f: Pick<PublishedFigure, 'precision' | 'value'>, actual: number | null): boolean {
  if (actual === null) return false;
  if (f.precision === 'exact') return actual === f.value;
  if (f.precision === 'plus de') return actual > f.value && actual <= f.value * 1.1;
  return actual >= f.value * 0.95 && actual <= f.value;
}

/** The figures of the sources that are not fields of the bilan but are computed from it or from the reference data. */
export const REFERENCE_FIGURE_KEYS = [
  'epci.count',
  'cites.priority',
  'cites.priorityLogements',
  'cites.priorityUnesco',
  'cites.priorityPasDeCalais',
  'operations.logements.programmedInYear',
  'operations.logements.worksOrProgrammedLogements',
  'subsidies.ptsNordEur',
  'subsidies.agenceEauEur',
] as const;

/** The Pas-de-Calais EPCI (public geography; the others are in the Nord). */
const EPCI_PAS_DE_CALAIS = ['CABBALR', 'CALL', 'CAHC', 'CCOM'];

/**
 * The figures of `REFERENCE_FIGURE_KEYS` at `q`:
 * - `epci.count`: registered EPCI; `cites.priority…`: the priority cités, their logements (sum of the known counts),
 *   those on the UNESCO list and those in a Pas-de-Calais EPCI (reference data, registered before any date of the
 *   sources: the current register);
 * - `operations.logements.programmedInYear`: logements operations programmed from 1 January of `asOf`'s year to `asOf`;
 * - `operations.logements.worksOrProgrammedLogements`: planned logements of the subsidised (`erbm`) logements operations
 *   programmed by `asOf` and neither terminated nor abandoned then (000: « logements en travaux et/ou programmés »);
 * - `subsidies.ptsNordEur`, `subsidies.agenceEauEur`: grants decided under `pts-nord` / `agence-eau-reseaux`, whole euros.
 */
export async function referenceFigures(db: Sql, q: AsOf, report: BilanReport): Promise<Record<string, number>> {
  const [epci] = await db.query<{ n: string }[]>('SELECT count(*) AS n FROM rm_epci');
  const [cites] = await db.query<Record<string, string>[]>(
    `SELECT count(*) AS n, coalesce(sum(logements), 0) AS logements, count(*) FILTER (WHERE unesco) AS unesco,
            count(*) FILTER (WHERE epci_code = ANY($1)) AS pdc
       FROM rm_cite WHERE priority`,
    [EPCI_PAS_DE_CALAIS],
  );
  const [programmed] = await db.query<{ n: string }[]>(
    `SELECT count(*) AS n FROM rm_operation
      WHERE kind = 'logements' AND programmed_on BETWEEN $1::date AND $2::date AND recorded_at <= $3::timestamptz`,
    [`${q.asOf.slice(0, 4)}-01-01`, q.asOf, knownAtParam(q)],
  );
  const dispositif = (d: string): number =>
    Math.floor(report.subsidies.byFinancerAxisDispositifYear.filter((r) => r.keys.dispositif === d).reduce((s, r) => s + r.decidedCents, 0) / 100);
  return {
    'epci.count': num(epci.n),
    'cites.priority': num(cites.n),
    'cites.priorityLogements': num(cites.logements),
    'cites.priorityUnesco': num(cites.unesco),
    'cites.priorityPasDeCalais': num(cites.pdc),
    'operations.logements.programmedInYear': num(programmed.n),
    'operations.logements.worksOrProgrammedLogements': report.operations.logements.byPhase
      .filter((p) => p.financing === 'erbm' && p.phase !== 'terminee' && p.phase !== 'abandonnee')
      .reduce((s, p) => s + p.plannedLogements, 0),
    'subsidies.ptsNordEur': dispositif('pts-nord'),
    'subsidies.agenceEauEur': dispositif('agence-eau-reseaux'),
  };
}

export interface FigureCheck {
  figure: PublishedFigure;
  actual: number | null;
  ok: boolean;
}

/**
 * Compares every published figure with the system's figure at the figure's own date (`asOf`; knowledge time
 * `knownAt`, default now): one bilan per date. Results in the order of `published`.
 */
export async function checkPublished(db: Sql, published: PublishedFigure[], knownAt?: string): Promise<FigureCheck[]> {
  const byDate = new Map<string, Record<string, number | null>>();
  for (const asOf of [...new Set(published.map((f) => f.asOf))].sort()) {
    const q: AsOf = { asOf, knownAt };
    const report = await buildBilan(db, q);
    const extra = await referenceFigures(db, q, report);
    const figures: Record<string, number | null> = { ...extra };
    for (const f of published.filter((x) => x.asOf === asOf)) if (!(f.key in figures)) figures[f.key] = figureOf(report, f.key);
    byDate.set(asOf, figures);
  }
  return published.map((figure) => {
    const actual = byDate.get(figure.asOf)?.[figure.key] ?? null;
    return { figure, actual, ok: matchesPublished(figure, actual) };
  });
}
