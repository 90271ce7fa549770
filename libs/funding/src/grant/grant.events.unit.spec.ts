import { GRANT_EVENT_TYPES, type GrantEvent } from './grant.events';

// Pins the serialized JSON of every funding event type (docs/events.md#versioning).
const examples: GrantEvent[] = [
  {
    type: 'funding.GrantDecided.v1',
    data: { grantId: 'g-1', financerCode: 'REGION_HDF', financerCategory: 'region', operationId: 'op-1', operationKind: 'logements', epciCode: 'CAHC', beneficiary: { kind: 'bailleur', code: 'MAISONS_ET_CITES', name: 'Maisons & Cités' }, dispositif: 'aides-a-la-pierre', axisCode: '1a', amountCents: 1_170_000_000, conventionDate: '2019-05-20', decisionRef: 'CP 2019-05' },
  },
  { type: 'funding.GrantAmended.v1', data: { grantId: 'g-1', previousAmountCents: 1_170_000_000, amountCents: 1_200_000_000, amendedOn: '2020-01-10', reason: 'avenant n°1' } },
  { type: 'funding.GrantPaymentMade.v1', data: { grantId: 'g-1', paymentId: 'p-1', paidOn: '2020-03-01', amountCents: 351_000_000 } },
  { type: 'funding.GrantCancelled.v1', data: { grantId: 'g-1', cancelledOn: '2022-01-01', reason: 'opération abandonnée' } },
];

describe('funding events: stored JSON', () => {
  it('has one example per event type', () => expect(examples.map((e) => e.type).sort()).toEqual([...GRANT_EVENT_TYPES].sort()));
  it.each(examples.map((e) => [e.type, e]))('%s', (_type, event) => expect(JSON.stringify(event)).toMatchSnapshot());
});
