import { type DomainEvent, type FinancerCategory } from '@erbm/shared';

/** Every financer category, in the order of the import format (REFERENCE.md §4). */
export const FINANCER_CATEGORIES = [
  'etat',
  'region',
  'departement',
  'epci',
  'agence',
  'union-europeenne',
  'bailleur',
  'autre',
] as const satisfies readonly FinancerCategory[];

// Compile-time guard: the list above names every FinancerCategory of the shared kernel.
const _allCategories: [Exclude<FinancerCategory, (typeof FINANCER_CATEGORIES)[number]>] extends [never] ? true : never = true;

/**
 * `programme.FinancerRegistered.v1`: a financer of the programme (State, Région, Départements, EPCI, agencies, EU…;
 * REFERENCE.md §4, seeds `002`). Stream `financer-<financerCode>`.
 * - `financerCode`: upper snake case (`ETAT`, `REGION_HDF`);
 * - `epciCode`: the EPCI's code when `category` is `epci`, else null.
 */
export type FinancerRegistered = DomainEvent<
  'programme.FinancerRegistered.v1',
  { financerCode: string; name: string; category: FinancerCategory; epciCode: string | null }
>;

/** Every event of a financer stream. */
export type FinancerEvent = FinancerRegistered;

/** Type strings of the events of a financer stream. */
export const FINANCER_EVENT_TYPES = ['programme.FinancerRegistered.v1'] as const satisfies readonly FinancerEvent['type'][];
