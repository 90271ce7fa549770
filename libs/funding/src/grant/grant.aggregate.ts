import { type Aggregate } from '@erbm/shared';
import { type GrantEvent } from './grant.events';

export interface GrantState {
  status: 'none' | 'decided' | 'cancelled';
  grantId: string | null;
  financerCode: string | null;
  operationId: string | null;
  conventionDate: string | null;
  amountCents: number;
  paidCents: number;
  paymentIds: string[];
}

export const grantStream = (grantId: string): string => `grant-${grantId}`;

export const grantAggregate: Aggregate<GrantState, GrantEvent> = {
  name: 'grant',
  version: 1,
  initialState: () => ({ status: 'none', grantId: null, financerCode: null, operationId: null, conventionDate: null, amountCents: 0, paidCents: 0, paymentIds: [] }),
  evolve(state, event) {
    switch (event.type) {
      case 'funding.GrantDecided.v1':
        return {
          ...state,
          status: 'decided',
          grantId: event.data.grantId,
          financerCode: event.data.financerCode,
          operationId: event.data.operationId,
          conventionDate: event.data.conventionDate,
          amountCents: event.data.amountCents,
        };
      case 'funding.GrantAmended.v1':
        return { ...state, amountCents: event.data.amountCents };
      case 'funding.GrantPaymentMade.v1':
        return { ...state, paidCents: state.paidCents + event.data.amountCents, paymentIds: [...state.paymentIds, event.data.paymentId] };
      case 'funding.GrantCancelled.v1':
        return { ...state, status: 'cancelled' };
    }
  },
};
