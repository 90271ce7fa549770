import { type Aggregate, type CiteFacts } from '@erbm/shared';
import { type CiteDescription, type CiteEvent } from './cite.events';

/**
 * Folded state of a cité stream: `status` is `none` until `programme.CiteRegistered.v1`; `description` is the
 * registered description, replaced by each `programme.CiteCorrected.v1`; `corrections` counts the corrections.
 */
export interface CiteState {
  status: 'none' | 'registered';
  description: CiteDescription | null;
  corrections: number;
}

/** Stream id of a cité: `cite-<citeId>` (`cite-cite-darcy`). */
export const citeStream = (citeId: string): string => `cite-${citeId}`;

const describe = ({ citeId, name, communes, epciCode, bailleurCode, logements, unesco, priority }: CiteDescription): CiteDescription => ({
  citeId,
  name,
  communes,
  epciCode,
  bailleurCode,
  logements,
  unesco,
  priority,
});

/** The cité aggregate (name `cite`). */
export const citeAggregate: Aggregate<CiteState, CiteEvent> = {
  name: 'cite',
  version: 1,
  initialState: () => ({ status: 'none', description: null, corrections: 0 }),
  evolve(state, event) {
    switch (event.type) {
      case 'programme.CiteRegistered.v1':
        return { ...state, status: 'registered', description: describe(event.data) };
      case 'programme.CiteCorrected.v1':
        return { ...state, description: describe(event.data), corrections: state.corrections + 1 };
    }
  },
};

/** The published `CiteFacts` of a folded cité stream (after corrections), or null when the cité is not registered. */
export function citeFacts(state: CiteState): CiteFacts | null {
  if (state.status === 'none' || state.description === null) return null;
  const { citeId, name, epciCode, bailleurCode } = state.description;
  return { citeId, name, epciCode, bailleurCode };
}
