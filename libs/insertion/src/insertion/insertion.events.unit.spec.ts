import { insertionDeclarationAggregate } from './insertion.aggregate';
import { INSERTION_EVENT_TYPES, type InsertionEvent } from './insertion.events';

/** One example of every event type, as stored: changing a serialized shape must be a deliberate, versioned change. */
const examples: Record<InsertionEvent['type'], InsertionEvent> = {
  'insertion.InsertionHoursDeclared.v1': {
    type: 'insertion.InsertionHoursDeclared.v1',
    data: {
      declarationId: 'ins-darcy-2019',
      operationId: 'op-cite-darcy-1',
      operationKind: 'logements',
      bailleurCode: 'MAISONS_ET_CITES',
      ownerOrganisation: 'bailleur:MAISONS_ET_CITES',
      epciCode: 'CAHC',
      marcheRef: 'MC-2019-017 lot 2',
      periodStart: '2019-01-01',
      periodEnd: '2019-12-31',
      hours: 4_200,
      participants: { deld: 4, rsa: 3, jeunes: 2, rqth: 1, autres: 0 },
      recruitments: { deld: 1, rsa: 1, jeunes: 0, rqth: 0, autres: 0 },
    },
  },
  'insertion.InsertionDeclarationCorrected.v1': {
    type: 'insertion.InsertionDeclarationCorrected.v1',
    data: {
      declarationId: 'ins-darcy-2019',
      hours: 4_550,
      participants: { deld: 4, rsa: 3, jeunes: 2, rqth: 1, autres: 1 },
      recruitments: { deld: 1, rsa: 1, jeunes: 0, rqth: 0, autres: 1 },
      previous: {
        hours: 4_200,
        participants: { deld: 4, rsa: 3, jeunes: 2, rqth: 1, autres: 0 },
        recruitments: { deld: 1, rsa: 1, jeunes: 0, rqth: 0, autres: 0 },
      },
      reason: 'relevé PLIE rectifié',
    },
  },
};

describe('insertion: serialized events', () => {
  it('has one example of every event type', () => expect(Object.keys(examples).sort()).toEqual([...INSERTION_EVENT_TYPES].sort()));

  it.each(INSERTION_EVENT_TYPES)('pins the JSON of %s', (type) => {
    const json = JSON.stringify(examples[type], null, 2);
    expect(json).toMatchSnapshot();
    expect(JSON.parse(json)).toEqual(examples[type]);
  });

  it('folds the stored examples', () => {
    const state = INSERTION_EVENT_TYPES.map((t) => examples[t]).reduce(insertionDeclarationAggregate.evolve, insertionDeclarationAggregate.initialState());
    expect(state).toMatchObject({ status: 'declared', ownerOrganisation: 'bailleur:MAISONS_ET_CITES', hours: 4_550, corrections: 1 });
  });
});
