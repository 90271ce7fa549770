import { type Aggregate, type EpciFacts } from '@erbm/shared';
import { type EpciEvent } from './epci.events';

/** Folded state of an EPCI stream; `status` is `none` until `programme.EpciRegistered.v1`. */
export interface EpciState {
  status: 'none' | 'registered';
  epciCode: string | null;
  name: string | null;
  /** Number of member communes, or null when unknown. */
  communes: number | null;
}

/** Stream id of an EPCI: `epci-<epciCode>` (`epci-CALL`). */
export const epciStream = (epciCode: string): string => `epci-${epciCode}`;

/** The EPCI aggregate (name `epci`). */
export const epciAggregate: Aggregate<EpciState, EpciEvent> = {
  name: 'epci',
  version: 1,
  initialState: () => ({ status: 'none', epciCode: null, name: null, communes: null }),
  evolve(state, event) {
    switch (event.type) {
      case 'programme.EpciRegistered.v1':
        return { ...state, status: 'registered', epciCode: event.data.epciCode, name: event.data.name, communes: event.data.communes };
    }
  },
};

/** The published `EpciFacts` of a folded EPCI stream, or null when the EPCI is not registered. */
export function epciFacts(state: EpciState): EpciFacts | null {
  if (state.status === 'none' || state.epciCode === null || state.name === null) return null;
  return { epciCode: state.epciCode, name: state.name };
}
