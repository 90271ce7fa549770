import { type EpciFacts, type OperationFacts } from '@erbm/shared';
import { given } from '@erbm/shared/testing';
import { correctInsertionContracts } from '../correcting-insertion-contracts/correct-insertion-contracts';
import { correctInsertionDeclaration } from '../correcting-insertion-declaration/correct-insertion-declaration';
import { declareInsertionContracts } from '../declaring-insertion-contracts/declare-insertion-contracts';
import { insertionDeclarationAggregate } from './insertion.aggregate';
import { type InsertionHoursDeclared, type InsertionHoursDeclaredV2 } from './insertion.events';
import { legacyFiguresOf, mainPublicOf } from './insertion.persons';

const cahc: EpciFacts = { epciCode: 'CAHC', name: "Communauté d'agglomération d'Hénin-Carvin" };
const operation: OperationFacts = {
  operationId: 'op-cite-darcy-1',
  kind: 'logements',
  citeId: 'cite-darcy',
  epciCode: 'CAHC',
  bailleurCode: 'MAISONS_ET_CITES',
  ownerOrganisation: 'bailleur:MAISONS_ET_CITES',
  axisCode: '1a',
  travauxStartedOn: '2019-02-01',
  programmedOn: '2018-03-01',
};
const P1 = '0123456789abcdef0123456789abcdef';
const P2 = 'fedcba9876543210fedcba9876543210';
const K1 = '11111111111111111111111111111111';
const K2 = '22222222222222222222222222222222';
const K3 = '33333333333333333333333333333333';
const declaration = {
  declarationId: 'ins-darcy-2020-s1',
  operationId: 'op-cite-darcy-1',
  epciCode: 'CAHC',
  marcheRef: 'MC-2019-017 lot 2',
  periodStart: '2020-01-01',
  periodEnd: '2020-06-30',
  hours: 1_200,
  participants: [
    { participantId: P1, publics: ['JEUNE_MOINS_26', 'RSA'], recruited: true },
    { participantId: P2, publics: ['DELD', 'SENIOR_PLUS_50'], recruited: false },
  ],
  contracts: [
    { contractId: K1, participantId: P1, kind: 'CDDI', startDate: '2020-01-06' },
    { contractId: K2, participantId: P1, kind: 'CDD', startDate: '2020-04-01' },
    { contractId: K3, participantId: P2, kind: 'INTERIM', startDate: '2019-11-04' },
  ],
};
const declared: InsertionHoursDeclaredV2 = {
  type: 'insertion.InsertionHoursDeclared.v2',
  data: {
    ...declaration,
    operationKind: 'logements',
    bailleurCode: 'MAISONS_ET_CITES',
    ownerOrganisation: 'bailleur:MAISONS_ET_CITES',
    // Publics are kept in reporting order, whatever the order declared.
    participants: [
      { participantId: P1, publics: ['RSA', 'JEUNE_MOINS_26'], recruited: true },
      { participantId: P2, publics: ['DELD', 'SENIOR_PLUS_50'], recruited: false },
    ],
    contracts: declaration.contracts as InsertionHoursDeclaredV2['data']['contracts'],
  },
};

const fieldsOf = (run: () => unknown): string[] => {
  let error: unknown;
  try {
    run();
  } catch (e) {
    error = e;
  }
  expect(error).toMatchObject({ code: 'COMMAND.INVALID', kind: 'validation' });
  return (error as { violations: { field: string }[] }).violations.map((v) => v.field).sort();
};

describe('insertion: declarations with persons and contracts (v2, ADR 0024)', () => {
  describe('DeclareInsertionContracts', () => {
    it('records the persons with their publics in reporting order and the contracts', () =>
      given(declareInsertionContracts, [], { epci: cahc, operation }).when(declaration).then([declared]));

    it('refuses a second declaration under the same id', () =>
      given(declareInsertionContracts, [declared], { epci: cahc, operation }).when(declaration).thenThrows('INSERTION.ALREADY_DECLARED'));

    it('refuses hours without any person', () =>
      given(declareInsertionContracts, [], { epci: cahc, operation }).when({ ...declaration, participants: [], contracts: [] }).thenThrows('INSERTION.HOURS_WITHOUT_PARTICIPANTS'));

    it('refuses a contract starting after the period', () =>
      given(declareInsertionContracts, [], { epci: cahc, operation })
        .when({ ...declaration, contracts: [...declaration.contracts.slice(0, 2), { ...declaration.contracts[2], startDate: '2020-07-01' }] })
        .thenThrows('INSERTION.CONTRACT_STARTS_AFTER_PERIOD'));

    it('refuses an EPCI other than the operation one', () =>
      given(declareInsertionContracts, [], { epci: { ...cahc, epciCode: 'CALL' }, operation }).when({ ...declaration, epciCode: 'CALL' }).thenThrows('INSERTION.EPCI_MISMATCH'));

    it.each([
      ['a name', 'Jean Dupont'],
      ['an e-mail', 'jean.dupont@example.org'],
      ['a social security number', '185057800608436'],
      ['uppercase hexadecimal', P1.toUpperCase()],
      ['too short a hash', 'abcdef0123456789'],
    ])('refuses %s as participant id, naming the field', (_what, id) =>
      expect(fieldsOf(() => declareInsertionContracts.parse({ ...declaration, participants: [{ ...declaration.participants[0], participantId: id }, declaration.participants[1]] }))).toEqual(
        // The contracts of P1 then name a participant that is not listed.
        ['contracts[0].participantId', 'contracts[1].participantId', 'participants[0].participantId'],
      ));

    it('names every bad field: publics, kinds, dates, duplicates, orphans', () =>
      expect(
        fieldsOf(() =>
          declareInsertionContracts.parse({
            ...declaration,
            participants: [
              { participantId: P1, publics: ['RSA', 'RSA'], recruited: true },
              { participantId: P1, publics: ['CHOMEUR'], recruited: 'oui' },
              { participantId: P2, publics: [], recruited: false },
            ],
            contracts: [
              { contractId: K1, participantId: P1, kind: 'STAGE', startDate: '2020-02-30' },
              { contractId: K1, participantId: K3, kind: 'CDD', startDate: '2020-01-01', name: 'x' },
            ],
          }),
        ),
      ).toEqual([
        'contracts[0].kind',
        'contracts[0].startDate',
        'contracts[1].contractId',
        'contracts[1].name',
        'contracts[1].participantId',
        'participants[0].publics',
        'participants[1].participantId',
        'participants[1].publics',
        'participants[1].recruited',
        'participants[2]',
        'participants[2].publics',
      ]));
  });

  describe('CorrectInsertionContracts', () => {
    const correction = { declarationId: declaration.declarationId, hours: 1_300, participants: declaration.participants, contracts: declaration.contracts, reason: 'heures rectifiées' };

    it('replaces hours, persons and contracts, keeping what it replaces', () =>
      given(correctInsertionContracts, [declared])
        .when(correction)
        .then([
          {
            type: 'insertion.InsertionDeclarationCorrected.v2',
            data: { declarationId: declaration.declarationId, hours: 1_300, participants: declared.data.participants, contracts: declared.data.contracts, previous: { hours: 1_200, participants: declared.data.participants, contracts: declared.data.contracts }, reason: 'heures rectifiées' },
          },
        ]));

    it('gives a v1 declaration persons and contracts, keeping its counts as previous', () => {
      const v1: InsertionHoursDeclared = {
        type: 'insertion.InsertionHoursDeclared.v1',
        data: { ...declared.data, type: undefined, participants: { deld: 1, rsa: 1, jeunes: 0, rqth: 0, autres: 0 }, recruitments: { deld: 0, rsa: 1, jeunes: 0, rqth: 0, autres: 0 } } as never,
      };
      given(correctInsertionContracts, [v1])
        .when(correction)
        .then([
          {
            type: 'insertion.InsertionDeclarationCorrected.v2',
            data: { ...correction, participants: declared.data.participants, previous: { hours: 1_200, participants: v1.data.participants, recruitments: v1.data.recruitments } },
          },
        ]);
    });

    it('refuses a correction that changes nothing (publics in another order included)', () =>
      given(correctInsertionContracts, [declared]).when({ ...correction, hours: 1_200 }).thenThrows('INSERTION.CORRECTION_UNCHANGED'));

    it('refuses an unknown declaration', () => given(correctInsertionContracts, []).when(correction).thenThrows('INSERTION.NOT_FOUND'));

    it('is the only correction of a v2 declaration: the v1 correction is refused', () =>
      given(correctInsertionDeclaration, [declared])
        .when({ declarationId: declaration.declarationId, hours: 1, participants: { deld: 1, rsa: 0, jeunes: 0, rqth: 0, autres: 0 }, recruitments: { deld: 0, rsa: 0, jeunes: 0, rqth: 0, autres: 0 }, reason: 'x' })
        .thenThrows('INSERTION.DECLARATION_HAS_PERSONS'));
  });

  describe('v1 counts of a v2 declaration', () => {
    it('counts each person once under a main public: DELD, then RSA, JEUNE_MOINS_26, RQTH, else autres', () => {
      expect(mainPublicOf(['RSA', 'JEUNE_MOINS_26'])).toBe('rsa');
      expect(mainPublicOf(['JEUNE_MOINS_26', 'QPV'])).toBe('jeunes');
      expect(mainPublicOf(['SENIOR_PLUS_50'])).toBe('autres');
      expect(legacyFiguresOf(1_200, declared.data.participants)).toEqual({
        hours: 1_200,
        participants: { deld: 1, rsa: 1, jeunes: 0, rqth: 0, autres: 0 },
        recruitments: { deld: 0, rsa: 1, jeunes: 0, rqth: 0, autres: 0 },
      });
    });

    it('folds a v2 declaration into the v1 counts and its persons', () =>
      expect(insertionDeclarationAggregate.evolve(insertionDeclarationAggregate.initialState(), declared)).toMatchObject({
        status: 'declared',
        hours: 1_200,
        participants: { deld: 1, rsa: 1 },
        persons: declared.data.participants,
        contracts: declared.data.contracts,
        periodEnd: '2020-06-30',
      }));
  });
});
