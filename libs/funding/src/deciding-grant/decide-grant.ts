import { Check, type FinancerFacts, type OperationFacts, type UseCase, conflict, notFound, ruleViolated } from '@erbm/shared';
import { type GrantState, grantAggregate, grantStream } from '../grant/grant.aggregate';
import { type Beneficiary, DISPOSITIFS, type Dispositif, type GrantDecided, type GrantEvent } from '../grant/grant.events';

/** `funding.DecideGrant`: a financer decides a subsidy for an operation. Amount in integer cents. */
export interface DecideGrant {
  grantId: string;
  financerCode: string;
  operationId: string;
  beneficiary: Beneficiary;
  dispositif: Dispositif;
  axisCode: string;
  amountCents: number;
  conventionDate: string;
  decisionRef: string | null;
}

export interface DecideGrantContext {
  financer: FinancerFacts | null;
  operation: OperationFacts | null;
}

export const decideGrant: UseCase<DecideGrant, GrantState, GrantEvent, DecideGrantContext> = {
  type: 'funding.DecideGrant',
  aggregate: grantAggregate,
  parse(data) {
    const c = new Check(data as Record<string, unknown>).only(
      'grantId', 'financerCode', 'operationId', 'beneficiary', 'dispositif', 'axisCode', 'amountCents', 'conventionDate', 'decisionRef',
    );
    const b = c.object('beneficiary').only('kind', 'code', 'name');
    const cmd: DecideGrant = {
      grantId: c.id('grantId'),
      financerCode: c.code('financerCode'),
      operationId: c.id('operationId'),
      beneficiary: { kind: b.oneOf('kind', ['bailleur', 'commune', 'epci', 'autre']), code: b.optionalCode('code'), name: b.string('name', 256) },
      dispositif: c.oneOf('dispositif', DISPOSITIFS),
      axisCode: c.string('axisCode', 4, /^[1-4][a-g]?$/),
      amountCents: c.integer('amountCents', 1),
      conventionDate: c.date('conventionDate'),
      decisionRef: c.optionalString('decisionRef', 120),
    };
    c.done();
    return cmd;
  },
  streamId: (cmd) => grantStream(cmd.grantId),
  businessDates: (cmd) => ({ conventionDate: cmd.conventionDate }),
  lookups: (cmd) => ({ financer: { fact: 'financer', id: cmd.financerCode }, operation: { fact: 'operation', id: cmd.operationId } }),
  owner: (cmd) => `financer:${cmd.financerCode}`,
  decide(cmd, state, { financer, operation }): GrantDecided[] {
    if (state.status !== 'none') throw conflict('GRANT.ALREADY_DECIDED', `Grant ${cmd.grantId} already exists`);
    if (!financer) throw notFound('FINANCER.NOT_FOUND', `Unknown financer ${cmd.financerCode}`, 'financerCode');
    if (!operation) throw notFound('OPERATION.NOT_FOUND', `Unknown operation ${cmd.operationId}`, 'operationId');
    if (cmd.conventionDate < operation.programmedOn) {
      throw ruleViolated('GRANT.CONVENTION_BEFORE_OPERATION', `conventionDate ${cmd.conventionDate} is before the operation was programmed (${operation.programmedOn})`, 'conventionDate');
    }
    return [
      {
        type: 'funding.GrantDecided.v1',
        data: {
          grantId: cmd.grantId,
          financerCode: cmd.financerCode,
          financerCategory: financer.category,
          operationId: cmd.operationId,
          operationKind: operation.kind,
          epciCode: operation.epciCode,
          beneficiary: cmd.beneficiary,
          dispositif: cmd.dispositif,
          axisCode: cmd.axisCode,
          amountCents: cmd.amountCents,
          conventionDate: cmd.conventionDate,
          decisionRef: cmd.decisionRef,
        },
      },
    ];
  },
};
