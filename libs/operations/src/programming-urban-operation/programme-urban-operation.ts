import { Check, type CiteFacts, type UseCase, ruleViolated } from '@erbm/shared';
import { type OperationState, operationAggregate, operationStream } from '../operation/operation.aggregate';
import { type OperationEvent, type PlannedDates, type UrbanOperationProgrammed } from '../operation/operation.events';
import { OperationRules, citeMustExist } from '../operation/operation.rules';
import { assertPlanNotBeforeProgramming, assertPlanOrdered, parsePlannedDates, plannedDateFields } from '../operation/plans';

/** `operation.ProgrammeUrbanOperation`: renovation of a cité's public spaces, led by a commune or the EPCI. */
export interface ProgrammeUrbanOperation {
  operationId: string;
  citeId: string;
  leadKind: 'commune' | 'epci';
  leadName: string;
  title: string;
  axisCode: string;
  programmedOn: string;
  plannedDates: PlannedDates;
}

export const programmeUrbanOperation: UseCase<ProgrammeUrbanOperation, OperationState, OperationEvent, { cite: CiteFacts | null }> = {
  type: 'operation.ProgrammeUrbanOperation',
  aggregate: operationAggregate,
  parse(data) {
    const c = new Check(data as Record<string, unknown>).only('operationId', 'citeId', 'leadKind', 'leadName', 'title', 'axisCode', 'programmedOn', 'plannedDates');
    const cmd: ProgrammeUrbanOperation = {
      operationId: c.id('operationId'),
      citeId: c.id('citeId'),
      leadKind: c.oneOf('leadKind', ['commune', 'epci']),
      leadName: c.string('leadName', 160),
      title: c.string('title', 256),
      axisCode: c.string('axisCode', 4, /^[1-4][a-g]?$/),
      programmedOn: c.date('programmedOn'),
      plannedDates: parsePlannedDates(c),
    };
    c.done();
    assertPlanOrdered(cmd.plannedDates);
    return cmd;
  },
  streamId: (cmd) => operationStream(cmd.operationId),
  businessDates: (cmd) => ({ programmedOn: cmd.programmedOn, ...plannedDateFields(cmd.plannedDates) }),
  lookups: (cmd) => ({ cite: { fact: 'cite', id: cmd.citeId } }),
  /** Urban operations are written by the EPCI of the cité's territory (whether a commune or the EPCI leads). */
  owner: (_cmd, _state, { cite }) => (cite ? `epci:${cite.epciCode}` : null),
  decide(cmd, state, { cite }): UrbanOperationProgrammed[] {
    OperationRules.mustNotExist(state, cmd.operationId);
    citeMustExist(cite, cmd.citeId);
    if (cmd.plannedDates.livraisons) throw ruleViolated('OPERATION.PHASE_NOT_NEXT', 'Urban operations have no livraisons phase', 'plannedDates.livraisons');
    assertPlanNotBeforeProgramming(cmd.plannedDates, cmd.programmedOn);
    return [{ type: 'operation.UrbanOperationProgrammed.v1', data: { ...cmd, epciCode: cite.epciCode } }];
  },
};
