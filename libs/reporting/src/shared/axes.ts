import { type Sql } from './as-of';

/**
 * The programme's axes with their French labels (`rm_axis`, from `programme.AxisSetPublished`; REFERENCE.md §2,
 * seeds 002 sommaire): one row per code, the label of the latest axis set that has it. A SQL table expression with
 * columns `axis_code`, `name`, for `LEFT JOIN … ON x.axis_code = …`.
 */
export const AXIS_NAMES_SQL = `(SELECT DISTINCT ON (code) code AS axis_code, label AS name FROM rm_axis ORDER BY code, effective_from DESC, axis_set_version DESC)`;

/**
 * The axis of every insertion declaration: 2e « Agir par l'insertion et la formation » — the mid-term review
 * (seeds 002) reports all insertion hours of the programme there (the 530 000 h and the 233 557 h of the clauses
 * sociales). A reporting rule of the programme, not a field of the declaration (ADR 0020).
 */
export const INSERTION_AXIS_CODE = '2e';

/** Code → French label of every axis (see `AXIS_NAMES_SQL`); empty before an axis set is published. */
export async function axisLabels(db: Sql): Promise<Map<string, string>> {
  const rows = await db.query<{ axis_code: string; name: string }[]>(`SELECT axis_code, name FROM ${AXIS_NAMES_SQL} a`);
  return new Map(rows.map((r) => [r.axis_code, r.name]));
}

/** « 1a – Rénover les cités minières », or the code alone when its label is unknown. */
export const axisTitle = (code: string, labels: Map<string, string>): string => (labels.has(code) ? `${code} – ${labels.get(code)}` : code);
