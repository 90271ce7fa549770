import { type BailleurFacts, Check, type CiteFacts, type UseCase, notFound, ruleViolated } from '@erbm/shared';
import { type OperationState, operationAggregate, operationStream } from '../operation/operation.aggregate';
import { type Financing, LOT_TYPES, type Lot, type LogementsOperationProgrammed, type OperationEvent, type PlannedDates } from '../operation/operation.events';
import { OperationRules, citeMustExist } from '../operation/operation.rules';
import { assertPlanNotBeforeProgramming, assertPlanOrdered, parsePlannedDates, plannedDateFields } from '../operation/plans';

/** `operation.ProgrammeLogementsOperation`: a bailleur programmes the renovation of logements in a cité. */
export interface ProgrammeLogementsOperation {
  operationId: string;
  citeId: string;
  bailleurCode: string;
  title: string;
  plannedLogements: number;
  financing: Financing;
  axisCode: string;
  lots: Lot[];
  programmedOn: string;
  plannedDates: PlannedDates;
}

export interface ProgrammeLogementsOperationContext {
  cite: CiteFacts | null;
  bailleur: BailleurFacts | null;
}

export const programmeLogementsOperation: UseCase<ProgrammeLogementsOperation, OperationState, OperationEvent, ProgrammeLogementsOperationContext> = {
  type: 'operation.ProgrammeLogementsOperation',
  aggregate: operationAggregate,
  parse(data) {
    const c = new Check(data as Record<string, unknown>).only(
      'operationId', 'citeId', 'bailleurCode', 'title', 'plannedLogements', 'financing', 'axisCode', 'lots', 'programmedOn', 'plannedDates',
    );
    const cmd: ProgrammeLogementsOperation = {
      operationId: c.id('operationId'),
      citeId: c.id('citeId'),
      bailleurCode: c.code('bailleurCode'),
      title: c.string('title', 256),
      plannedLogements: c.integer('plannedLogements', 1, 100_000),
      financing: c.oneOf('financing', ['erbm', 'fonds-propres']),
      axisCode: c.string('axisCode', 4, /^[1-4][a-g]?$/),
      lots: c.array('lots', 1, 20).map((l) => {
        l.only('lotType', 'logements');
        return { lotType: l.oneOf('lotType', LOT_TYPES), logements: l.integer('logements', 1, 100_000) };
      }),
      programmedOn: c.date('programmedOn'),
      plannedDates: parsePlannedDates(c),
    };
    c.done();
    assertPlanOrdered(cmd.plannedDates);
    return cmd;
  },
  streamId: (cmd) => operationStream(cmd.operationId),
  businessDates: (cmd) => ({ programmedOn: cmd.programmedOn, ...plannedDateFields(cmd.plannedDates) }),
  lookups: (cmd) => ({ cite: { fact: 'cite', id: cmd.citeId }, bailleur: { fact: 'bailleur', id: cmd.bailleurCode } }),
  owner: (cmd) => `bailleur:${cmd.bailleurCode}`,
  decide(cmd, state, { cite, bailleur }): LogementsOperationProgrammed[] {
    OperationRules.mustNotExist(state, cmd.operationId);
    citeMustExist(cite, cmd.citeId);
    if (!bailleur) throw notFound('BAILLEUR.NOT_FOUND', `Unknown bailleur ${cmd.bailleurCode}`, 'bailleurCode');
    const lotsTotal = cmd.lots.reduce((s, l) => s + l.logements, 0);
    if (lotsTotal !== cmd.plannedLogements) {
      throw ruleViolated('OPERATION.LOTS_MISMATCH', `Lots total ${lotsTotal} logements, plannedLogements is ${cmd.plannedLogements}`, 'lots');
    }
    assertPlanNotBeforeProgramming(cmd.plannedDates, cmd.programmedOn);
    return [{ type: 'operation.LogementsOperationProgrammed.v1', data: { ...cmd, epciCode: cite.epciCode } }];
  },
};
