import { type DomainEvent } from '@erbm/shared';

/**
 * The descriptive fields of a cité minière (REFERENCE.md §6, seeds `002`, `003`, `001`).
 * - `citeId`: kebab-case id (`cite-darcy`);
 * - `communes`: the commune names it spans (at least one);
 * - `epciCode`: the EPCI it belongs to (a registered EPCI);
 * - `bailleurCode`: the registered bailleur owning its logements, or null when unknown or several;
 * - `logements`: number of logements (integer ≥ 1), or null when not published;
 * - `unesco`: UNESCO World Heritage listed; `priority`: on the 2018 list of 35 priority cités (REFERENCE.md §6).
 */
export interface CiteDescription {
  citeId: string;
  name: string;
  communes: string[];
  epciCode: string;
  bailleurCode: string | null;
  logements: number | null;
  unesco: boolean;
  priority: boolean;
}

/** `programme.CiteRegistered.v1`: a cité minière entered the programme's reference data. Stream `cite-<citeId>`. */
export type CiteRegistered = DomainEvent<'programme.CiteRegistered.v1', CiteDescription>;

/**
 * `programme.CiteCorrected.v1`: compensating event carrying the cité's full corrected description and the `reason`
 * of the correction. It replaces the previous description from now on; the original events stay unchanged.
 */
export type CiteCorrected = DomainEvent<'programme.CiteCorrected.v1', CiteDescription & { reason: string }>;

/** Every event of a cité stream. */
export type CiteEvent = CiteRegistered | CiteCorrected;

/** Type strings of the events of a cité stream. */
export const CITE_EVENT_TYPES = ['programme.CiteRegistered.v1', 'programme.CiteCorrected.v1'] as const satisfies readonly CiteEvent['type'][];
