import { type FinancerFacts, type OperationFacts } from '@erbm/shared';
import { given } from '@erbm/shared/testing';
import { amendGrant } from '../amending-grant/amend-grant';
import { cancelGrant } from '../cancelling-grant/cancel-grant';
import { decideGrant } from '../deciding-grant/decide-grant';
import { recordGrantPayment } from '../recording-grant-payment/record-grant-payment';
import { type GrantDecided } from './grant.events';

const etat: FinancerFacts = { financerCode: 'ETAT', name: 'État', category: 'etat', epciCode: null };
const operation: OperationFacts = {
  operationId: 'op-cite-darcy-1',
  kind: 'logements',
  citeId: 'cite-darcy',
  epciCode: 'CAHC',
  bailleurCode: 'MAISONS_ET_CITES',
  ownerOrganisation: 'bailleur:MAISONS_ET_CITES',
  axisCode: '1a',
  travauxStartedOn: null,
  programmedOn: '2018-03-01',
};
const decision = {
  grantId: 'g-etat-darcy-1',
  financerCode: 'ETAT',
  operationId: 'op-cite-darcy-1',
  beneficiary: { kind: 'bailleur', code: 'MAISONS_ET_CITES', name: 'Maisons & Cités' },
  dispositif: 'aides-a-la-pierre',
  axisCode: '1a',
  amountCents: 150_000_000,
  conventionDate: '2018-06-15',
  decisionRef: 'CP-2018-06',
};
const decided: GrantDecided = {
  type: 'funding.GrantDecided.v1',
  data: { ...decision, financerCategory: 'etat', operationKind: 'logements', epciCode: 'CAHC', beneficiary: { kind: 'bailleur', code: 'MAISONS_ET_CITES', name: 'Maisons & Cités' }, dispositif: 'aides-a-la-pierre' },
};
const paid = (paymentId: string, amountCents: number) => ({ type: 'funding.GrantPaymentMade.v1', data: { grantId: 'g-etat-darcy-1', paymentId, paidOn: '2019-01-10', amountCents } });

describe('funding: grants', () => {
  describe('DecideGrant', () => {
    it('records the decision with the financer category and the operation EPCI', () =>
      given(decideGrant, [], { financer: etat, operation }).when(decision).then([decided]));
    it('refuses a second decision with the same id', () =>
      given(decideGrant, [decided], { financer: etat, operation }).when(decision).thenThrows('GRANT.ALREADY_DECIDED'));
    it('refuses an unknown financer or operation', () => {
      given(decideGrant, [], { financer: null, operation }).when(decision).thenThrows('FINANCER.NOT_FOUND');
      given(decideGrant, [], { financer: etat, operation: null }).when(decision).thenThrows('OPERATION.NOT_FOUND');
    });
    it('refuses a convention dated before the operation existed', () =>
      given(decideGrant, [], { financer: etat, operation }).when({ ...decision, conventionDate: '2017-12-31' }).thenThrows('GRANT.CONVENTION_BEFORE_OPERATION'));
    it('rejects floats, negative and unknown fields, naming each field', () => {
      let error: unknown;
      try {
        decideGrant.parse({ ...decision, amountCents: 12.5, conventionDate: '2018-02-30', extra: 1 });
      } catch (e) {
        error = e;
      }
      expect(error).toMatchObject({ code: 'COMMAND.INVALID', kind: 'validation' });
      expect((error as { violations: { field: string }[] }).violations.map((v) => v.field).sort()).toEqual(['amountCents', 'conventionDate', 'extra']);
    });
  });

  describe('RecordGrantPayment', () => {
    it('records instalments up to the amount', () =>
      given(recordGrantPayment, [decided, paid('p1', 100_000_000)])
        .when({ grantId: 'g-etat-darcy-1', paymentId: 'p2', paidOn: '2019-01-10', amountCents: 50_000_000 })
        .then([paid('p2', 50_000_000)]));
    it('never lets payments exceed the amount', () =>
      given(recordGrantPayment, [decided, paid('p1', 100_000_000)])
        .when({ grantId: 'g-etat-darcy-1', paymentId: 'p2', paidOn: '2019-01-10', amountCents: 50_000_001 })
        .thenThrows('GRANT.PAYMENT_EXCEEDS_AMOUNT'));
    it('refuses a payment on an unknown or cancelled grant, or before the convention', () => {
      const cmd = { grantId: 'g-etat-darcy-1', paymentId: 'p1', paidOn: '2019-01-10', amountCents: 1 };
      given(recordGrantPayment, []).when(cmd).thenThrows('GRANT.NOT_FOUND');
      given(recordGrantPayment, [decided, { type: 'funding.GrantCancelled.v1', data: { grantId: 'g-etat-darcy-1', cancelledOn: '2019-01-01', reason: 'x' } }])
        .when(cmd)
        .thenThrows('GRANT.CANCELLED');
      given(recordGrantPayment, [decided]).when({ ...cmd, paidOn: '2018-01-01' }).thenThrows('GRANT.DATE_BEFORE_CONVENTION');
    });
    it('refuses the same payment id twice', () =>
      given(recordGrantPayment, [decided, paid('p1', 1)]).when({ grantId: 'g-etat-darcy-1', paymentId: 'p1', paidOn: '2019-01-10', amountCents: 1 }).thenThrows('GRANT.PAYMENT_ALREADY_RECORDED'));
  });

  describe('AmendGrant and CancelGrant', () => {
    it('amends the amount, keeping the previous one in the event', () =>
      given(amendGrant, [decided])
        .when({ grantId: 'g-etat-darcy-1', amountCents: 180_000_000, amendedOn: '2020-02-01', reason: 'avenant n°1' })
        .then([{ type: 'funding.GrantAmended.v1', data: { grantId: 'g-etat-darcy-1', previousAmountCents: 150_000_000, amountCents: 180_000_000, amendedOn: '2020-02-01', reason: 'avenant n°1' } }]));
    it('never amends below what is already paid', () =>
      given(amendGrant, [decided, paid('p1', 100_000_000)])
        .when({ grantId: 'g-etat-darcy-1', amountCents: 99_999_999, amendedOn: '2020-02-01', reason: 'réduction' })
        .thenThrows('GRANT.AMOUNT_BELOW_PAID'));
    it('cancels once', () => {
      const cmd = { grantId: 'g-etat-darcy-1', cancelledOn: '2020-01-01', reason: 'opération abandonnée' };
      given(cancelGrant, [decided]).when(cmd).then([{ type: 'funding.GrantCancelled.v1', data: cmd }]);
      given(cancelGrant, [decided, { type: 'funding.GrantCancelled.v1', data: cmd }]).when(cmd).thenThrows('GRANT.CANCELLED');
    });
  });
});
