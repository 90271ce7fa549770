import { type Aggregate, type BailleurFacts } from '@erbm/shared';
import { type BailleurEvent } from './bailleur.events';

/** Folded state of a bailleur stream; `status` is `none` until `programme.BailleurRegistered.v1`. */
export interface BailleurState {
  status: 'none' | 'registered';
  bailleurCode: string | null;
  name: string | null;
}

/** Stream id of a bailleur: `bailleur-<bailleurCode>` (`bailleur-MAISONS_ET_CITES`). */
export const bailleurStream = (bailleurCode: string): string => `bailleur-${bailleurCode}`;

/** The bailleur aggregate (name `bailleur`). */
export const bailleurAggregate: Aggregate<BailleurState, BailleurEvent> = {
  name: 'bailleur',
  version: 1,
  initialState: () => ({ status: 'none', bailleurCode: null, name: null }),
  evolve(state, event) {
    switch (event.type) {
      case 'programme.BailleurRegistered.v1':
        return { ...state, status: 'registered', bailleurCode: event.data.bailleurCode, name: event.data.name };
    }
  },
};

/** The published `BailleurFacts` of a folded bailleur stream, or null when the bailleur is not registered. */
export function bailleurFacts(state: BailleurState): BailleurFacts | null {
  if (state.status === 'none' || state.bailleurCode === null || state.name === null) return null;
  return { bailleurCode: state.bailleurCode, name: state.name };
}
