import { type DomainEvent } from '@erbm/shared';

/**
 * `programme.EpciRegistered.v1`: an EPCI (intercommunality) signatory of the programme. Stream `epci-<epciCode>`.
 * - `epciCode`: upper snake case short name (CABBALR, CALL, CAHC, CAD, CCCO, CAPH, CAVM, CCOM: REFERENCE.md §3);
 * - `communes`: number of member communes, or null when no source gives it (REFERENCE.md §3, seeds `000`, `003`).
 */
export type EpciRegistered = DomainEvent<'programme.EpciRegistered.v1', { epciCode: string; name: string; communes: number | null }>;

/** Every event of an EPCI stream. */
export type EpciEvent = EpciRegistered;

/** Type strings of the events of an EPCI stream. */
export const EPCI_EVENT_TYPES = ['programme.EpciRegistered.v1'] as const satisfies readonly EpciEvent['type'][];
