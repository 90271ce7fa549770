import { type EpciFacts, type OperationFacts } from '@erbm/shared';
import { given } from '@erbm/shared/testing';
import { correctInsertionDeclaration } from '../correcting-insertion-declaration/correct-insertion-declaration';
import { declareInsertionHours } from '../declaring-insertion-hours/declare-insertion-hours';
import { insertionUseCases } from '../index';
import { insertionStream } from './insertion.aggregate';
import { type InsertionDeclarationCorrected, type InsertionHoursDeclared, PUBLICS, totalOf } from './insertion.events';
import { periodDays } from './insertion.rules';

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
const participants = { deld: 4, rsa: 3, jeunes: 2, rqth: 1, autres: 0 };
const recruitments = { deld: 1, rsa: 1, jeunes: 0, rqth: 0, autres: 0 };
const declaration = {
  declarationId: 'ins-darcy-2019',
  operationId: 'op-cite-darcy-1',
  epciCode: 'CAHC',
  marcheRef: 'MC-2019-017 lot 2',
  periodStart: '2019-01-01',
  periodEnd: '2019-12-31',
  hours: 4_200,
  participants,
  recruitments,
};
const declared: InsertionHoursDeclared = {
  type: 'insertion.InsertionHoursDeclared.v1',
  data: { ...declaration, operationKind: 'logements', bailleurCode: 'MAISONS_ET_CITES', ownerOrganisation: 'bailleur:MAISONS_ET_CITES' },
};
const correction = {
  declarationId: 'ins-darcy-2019',
  hours: 4_550,
  participants: { ...participants, autres: 1 },
  recruitments: { ...recruitments, autres: 1 },
  reason: 'relevé PLIE rectifié',
};
const corrected: InsertionDeclarationCorrected = {
  type: 'insertion.InsertionDeclarationCorrected.v1',
  data: { ...correction, previous: { hours: 4_200, participants, recruitments } },
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

describe('insertion: declarations of insertion hours', () => {
  describe('DeclareInsertionHours', () => {
    it('records the declaration with the operation kind, bailleur and owner copied in', () =>
      given(declareInsertionHours, [], { epci: cahc, operation }).when(declaration).then([declared]));

    it('records a works contract outside any operation, owned by the EPCI', () =>
      given(declareInsertionHours, [], { epci: cahc })
        .when({ ...declaration, operationId: null })
        .then([{ type: 'insertion.InsertionHoursDeclared.v1', data: { ...declaration, operationId: null, operationKind: null, bailleurCode: null, ownerOrganisation: 'epci:CAHC' } }]));

    it('looks the operation up only when there is one', () => {
      expect(declareInsertionHours.lookups?.(declareInsertionHours.parse(declaration))).toEqual({
        epci: { fact: 'epci', id: 'CAHC' },
        operation: { fact: 'operation', id: 'op-cite-darcy-1' },
      });
      expect(declareInsertionHours.lookups?.(declareInsertionHours.parse({ ...declaration, operationId: null }))).toEqual({ epci: { fact: 'epci', id: 'CAHC' } });
    });

    it('is owned by the operation owner, or by the EPCI without an operation', () => {
      const state = declareInsertionHours.aggregate.initialState();
      expect(declareInsertionHours.owner?.(declareInsertionHours.parse(declaration), state, { epci: cahc, operation })).toBe('bailleur:MAISONS_ET_CITES');
      expect(declareInsertionHours.owner?.(declareInsertionHours.parse({ ...declaration, operationId: null }), state, { epci: cahc })).toBe('epci:CAHC');
      expect(declareInsertionHours.streamId(declareInsertionHours.parse(declaration))).toBe('insertion-ins-darcy-2019');
    });

    it('accepts a declaration with zero hours and nobody', () => {
      const nobody = { deld: 0, rsa: 0, jeunes: 0, rqth: 0, autres: 0 };
      given(declareInsertionHours, [], { epci: cahc, operation })
        .when({ ...declaration, hours: 0, participants: nobody, recruitments: nobody })
        .then([{ ...declared, data: { ...declared.data, hours: 0, participants: nobody, recruitments: nobody } }]);
    });

    it('refuses a second declaration with the same id', () =>
      given(declareInsertionHours, [declared], { epci: cahc, operation }).when(declaration).thenThrows('INSERTION.ALREADY_DECLARED'));

    it('refuses an unknown EPCI or operation', () => {
      given(declareInsertionHours, [], { epci: null, operation }).when(declaration).thenThrows('EPCI.NOT_FOUND');
      given(declareInsertionHours, [], { epci: cahc, operation: null }).when(declaration).thenThrows('OPERATION.NOT_FOUND');
      given(declareInsertionHours, [], { epci: cahc }).when(declaration).thenThrows('OPERATION.NOT_FOUND');
    });

    it("refuses an EPCI other than the operation's", () =>
      given(declareInsertionHours, [], { epci: { epciCode: 'CALL', name: 'Lens-Liévin' }, operation })
        .when({ ...declaration, epciCode: 'CALL' })
        .thenThrows('INSERTION.EPCI_MISMATCH'));

    it('refuses an inverted period', () =>
      given(declareInsertionHours, [], { epci: cahc, operation })
        .when({ ...declaration, periodStart: '2019-06-01', periodEnd: '2019-05-31' })
        .thenThrows('INSERTION.PERIOD_INVERTED'));

    it('accepts up to 366 days, both ends included, and refuses longer', () => {
      expect(periodDays('2020-01-01', '2020-12-31')).toBe(366);
      expect(periodDays('2019-05-01', '2019-05-01')).toBe(1);
      given(declareInsertionHours, [], { epci: cahc, operation })
        .when({ ...declaration, periodStart: '2019-01-01', periodEnd: '2020-01-01' })
        .then([{ ...declared, data: { ...declared.data, periodStart: '2019-01-01', periodEnd: '2020-01-01' } }]);
      given(declareInsertionHours, [], { epci: cahc, operation })
        .when({ ...declaration, periodStart: '2019-01-01', periodEnd: '2020-01-02' })
        .thenThrows('INSERTION.PERIOD_TOO_LONG');
    });

    it('refuses more recruitments than participants in any public', () => {
      for (const p of PUBLICS) {
        given(declareInsertionHours, [], { epci: cahc, operation })
          .when({ ...declaration, recruitments: { ...recruitments, [p]: participants[p] + 1 } })
          .thenThrows('INSERTION.RECRUITMENTS_EXCEED_PARTICIPANTS');
      }
    });

    it('refuses hours without any participant', () => {
      const nobody = { deld: 0, rsa: 0, jeunes: 0, rqth: 0, autres: 0 };
      given(declareInsertionHours, [], { epci: cahc, operation })
        .when({ ...declaration, participants: nobody, recruitments: nobody })
        .thenThrows('INSERTION.HOURS_WITHOUT_PARTICIPANTS');
    });

    it('rejects malformed data, naming each field', () => {
      expect(
        fieldsOf(() =>
          declareInsertionHours.parse({
            ...declaration,
            operationId: 'Op 1',
            epciCode: 'cahc',
            marcheRef: 'x'.repeat(121),
            periodStart: '2019-02-30',
            hours: 12.5,
            participants: { ...participants, rsa: -1, seniors: 2 },
            recruitments: { deld: 0, rsa: 0, jeunes: 0, rqth: 0 },
            extra: true,
          }),
        ),
      ).toEqual(['epciCode', 'extra', 'hours', 'marcheRef', 'operationId', 'participants.rsa', 'participants.seniors', 'periodStart', 'recruitments.autres']);
      expect(fieldsOf(() => declareInsertionHours.parse({ ...declaration, hours: 1_000_001, periodEnd: undefined, participants: [1] }))).toEqual([
        'hours',
        'participants',
        'periodEnd',
      ]);
      expect(fieldsOf(() => declareInsertionHours.parse({ ...declaration, operationId: undefined }))).toEqual(['operationId']);
    });
  });

  describe('CorrectInsertionDeclaration', () => {
    it('records the corrected figures with the previous ones', () =>
      given(correctInsertionDeclaration, [declared]).when(correction).then([corrected]));

    it('chains corrections: the previous figures are the last corrected ones', () =>
      given(correctInsertionDeclaration, [declared, corrected])
        .when({ ...correction, hours: 4_500, reason: 'doublon retiré' })
        .then([
          {
            type: 'insertion.InsertionDeclarationCorrected.v1',
            data: { ...correction, hours: 4_500, reason: 'doublon retiré', previous: { hours: 4_550, participants: correction.participants, recruitments: correction.recruitments } },
          },
        ]));

    it("is owned by the declaration's organisation", () => {
      const state = [declared].reduce(correctInsertionDeclaration.aggregate.evolve, correctInsertionDeclaration.aggregate.initialState());
      expect(correctInsertionDeclaration.owner?.(correctInsertionDeclaration.parse(correction), state, {})).toBe('bailleur:MAISONS_ET_CITES');
      expect(correctInsertionDeclaration.streamId(correctInsertionDeclaration.parse(correction))).toBe(insertionStream('ins-darcy-2019'));
    });

    it('refuses to correct an unknown declaration', () =>
      given(correctInsertionDeclaration, []).when(correction).thenThrows('INSERTION.NOT_FOUND'));

    it('applies the per-public rules', () => {
      given(correctInsertionDeclaration, [declared])
        .when({ ...correction, recruitments: { ...correction.recruitments, rqth: 2 } })
        .thenThrows('INSERTION.RECRUITMENTS_EXCEED_PARTICIPANTS');
      const nobody = { deld: 0, rsa: 0, jeunes: 0, rqth: 0, autres: 0 };
      given(correctInsertionDeclaration, [declared])
        .when({ ...correction, participants: nobody, recruitments: nobody })
        .thenThrows('INSERTION.HOURS_WITHOUT_PARTICIPANTS');
    });

    it('refuses a correction that changes nothing', () =>
      given(correctInsertionDeclaration, [declared])
        .when({ declarationId: 'ins-darcy-2019', hours: 4_200, participants, recruitments, reason: 'rien' })
        .thenThrows('INSERTION.CORRECTION_UNCHANGED'));

    it('rejects malformed data, naming each field', () =>
      expect(
        fieldsOf(() => correctInsertionDeclaration.parse({ ...correction, hours: -1, recruitments: { ...recruitments, jeunes: '2' }, reason: ' ', operationId: 'op-1' })),
      ).toEqual(['hours', 'operationId', 'reason', 'recruitments.jeunes']));
  });

  describe('publics', () => {
    it('totals persons across the five publics, each counted once', () => {
      expect(PUBLICS).toEqual(['deld', 'rsa', 'jeunes', 'rqth', 'autres']);
      expect(totalOf(participants)).toBe(10);
      // Published ERBM logements figures (002): 276 recruited, of whom 72 RSA.
      expect(totalOf({ deld: 120, rsa: 72, jeunes: 50, rqth: 10, autres: 24 })).toBe(276);
    });
    it('registers every command', () =>
      expect(insertionUseCases.map((u) => u.type)).toEqual(['insertion.DeclareInsertionHours', 'insertion.CorrectInsertionDeclaration']));
  });
});
