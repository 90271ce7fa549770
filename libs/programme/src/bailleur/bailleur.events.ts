import { type DomainEvent } from '@erbm/shared';

/**
 * `programme.BailleurRegistered.v1`: a social landlord owning cités minières (Maisons & Cités, SIA Habitat,
 * Pas-de-Calais Habitat, Septentrionale: REFERENCE.md §5, seeds `002`, `001`). Stream `bailleur-<bailleurCode>`.
 * `bailleurCode` is upper snake case (`MAISONS_ET_CITES`).
 */
export type BailleurRegistered = DomainEvent<'programme.BailleurRegistered.v1', { bailleurCode: string; name: string }>;

/** Every event of a bailleur stream. */
export type BailleurEvent = BailleurRegistered;

/** Type strings of the events of a bailleur stream. */
export const BAILLEUR_EVENT_TYPES = ['programme.BailleurRegistered.v1'] as const satisfies readonly BailleurEvent['type'][];
