import { type Aggregate, type FinancerCategory, type FinancerFacts } from '@erbm/shared';
import { type FinancerEvent } from './financer.events';

/** Folded state of a financer stream; `status` is `none` until `programme.FinancerRegistered.v1`. */
export interface FinancerState {
  status: 'none' | 'registered';
  financerCode: string | null;
  name: string | null;
  category: FinancerCategory | null;
  /** The EPCI's code for a financer of category `epci`, else null. */
  epciCode: string | null;
}

/** Stream id of a financer: `financer-<financerCode>` (`financer-ETAT`). */
export const financerStream = (financerCode: string): string => `financer-${financerCode}`;

/** The financer aggregate (name `financer`). */
export const financerAggregate: Aggregate<FinancerState, FinancerEvent> = {
  name: 'financer',
  version: 1,
  initialState: () => ({ status: 'none', financerCode: null, name: null, category: null, epciCode: null }),
  evolve(state, event) {
    switch (event.type) {
      case 'programme.FinancerRegistered.v1':
        return { ...state, status: 'registered', ...event.data };
    }
  },
};

/** The published `FinancerFacts` of a folded financer stream, or null when the financer is not registered. */
export function financerFacts(state: FinancerState): FinancerFacts | null {
  if (state.status === 'none' || state.financerCode === null || state.name === null || state.category === null) return null;
  return { financerCode: state.financerCode, name: state.name, category: state.category, epciCode: state.epciCode };
}
