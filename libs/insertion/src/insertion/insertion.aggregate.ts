import { type Aggregate } from '@erbm/shared';
import { type ByPublic, type InsertionEvent } from './insertion.events';

/**
 * State of one insertion declaration: its current figures (after corrections) and the organisation owning it.
 * Hours are integer hours; participants and recruitments are persons per public.
 */
export interface InsertionDeclarationState {
  status: 'none' | 'declared';
  declarationId: string | null;
  /** `bailleur:<CODE>` or `epci:<CODE>`, from the declaration; null before it. */
  ownerOrganisation: string | null;
  operationId: string | null;
  epciCode: string | null;
  hours: number;
  participants: ByPublic;
  recruitments: ByPublic;
  corrections: number;
}

const none = (): ByPublic => ({ deld: 0, rsa: 0, jeunes: 0, rqth: 0, autres: 0 });

/** Stream of one insertion declaration: `insertion-<declarationId>`. */
export const insertionStream = (declarationId: string): string => `insertion-${declarationId}`;

/** The insertion declaration aggregate (one declaration per works contract and period). */
export const insertionDeclarationAggregate: Aggregate<InsertionDeclarationState, InsertionEvent> = {
  name: 'insertion',
  version: 1,
  initialState: () => ({
    status: 'none',
    declarationId: null,
    ownerOrganisation: null,
    operationId: null,
    epciCode: null,
    hours: 0,
    participants: none(),
    recruitments: none(),
    corrections: 0,
  }),
  evolve(state, event) {
    switch (event.type) {
      case 'insertion.InsertionHoursDeclared.v1':
        return {
          ...state,
          status: 'declared',
          declarationId: event.data.declarationId,
          ownerOrganisation: event.data.ownerOrganisation,
          operationId: event.data.operationId,
          epciCode: event.data.epciCode,
          hours: event.data.hours,
          participants: event.data.participants,
          recruitments: event.data.recruitments,
        };
      case 'insertion.InsertionDeclarationCorrected.v1':
        return {
          ...state,
          hours: event.data.hours,
          participants: event.data.participants,
          recruitments: event.data.recruitments,
          corrections: state.corrections + 1,
        };
    }
  },
};
