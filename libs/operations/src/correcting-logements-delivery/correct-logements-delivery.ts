import { Check, type UseCase, notFound, ruleViolated } from '@erbm/shared';
import { type EnergyPerformance, parseEnergy } from '../operation/energy';
import { type DeliveryContext, type OperationState, deliveryFigures, deliveryKeyed, sameDeliveryFigures, operationAggregate, operationStream } from '../operation/operation.aggregate';
import { type LogementsDeliveryCorrected, type OperationEvent } from '../operation/operation.events';
import { OperationRules } from '../operation/operation.rules';

/**
 * `operation.CorrectLogementsDelivery`: replaces a recorded delivery's figures with corrected ones and a reason.
 * The original event stays in the log; reports "as known at" a time before the correction still show it.
 */
export interface CorrectLogementsDelivery {
  operationId: string;
  deliveryId: string;
  deliveredOn: string;
  logements: number;
  energyBefore: EnergyPerformance;
  energyAfter: EnergyPerformance;
  reason: string;
}

export const correctLogementsDelivery: UseCase<CorrectLogementsDelivery, OperationState, OperationEvent, DeliveryContext> = {
  type: 'operation.CorrectLogementsDelivery',
  aggregate: operationAggregate,
  parse(data) {
    const c = new Check(data as Record<string, unknown>).only('operationId', 'deliveryId', 'deliveredOn', 'logements', 'energyBefore', 'energyAfter', 'reason');
    const cmd = {
      operationId: c.id('operationId'),
      deliveryId: c.id('deliveryId'),
      deliveredOn: c.date('deliveredOn'),
      logements: c.integer('logements', 0, 100_000),
      energyBefore: parseEnergy(c, 'energyBefore'),
      energyAfter: parseEnergy(c, 'energyAfter'),
      reason: c.string('reason', 1000),
    };
    c.done();
    return cmd;
  },
  streamId: (cmd) => operationStream(cmd.operationId),
  keyed: (cmd) => deliveryKeyed(cmd.deliveryId),
  businessDates: (cmd) => ({ deliveredOn: cmd.deliveredOn }),
  owner: (_cmd, state) => state.ownerOrganisation,
  decide(cmd, state, ctx): LogementsDeliveryCorrected[] {
    OperationRules.mustExist(state);
    const previous = deliveryFigures(ctx.delivery);
    if (!previous) throw notFound('OPERATION.DELIVERY_NOT_FOUND', `No delivery ${cmd.deliveryId} on this operation`, 'deliveryId');
    const { reason, operationId, deliveryId, ...figures } = cmd;
    if (sameDeliveryFigures(figures, previous)) {
      throw ruleViolated('OPERATION.CORRECTION_UNCHANGED', 'The correction changes nothing', 'deliveryId');
    }
    OperationRules.deliveredAfterWorksStart(state, cmd.deliveredOn);
    OperationRules.withinPlanned(state, state.deliveredLogements - previous.logements + cmd.logements);
    OperationRules.energyConsistent(cmd.energyBefore, 'energyBefore');
    OperationRules.energyConsistent(cmd.energyAfter, 'energyAfter');
    return [{ type: 'operation.LogementsDeliveryCorrected.v1', data: { operationId, deliveryId, ...figures, previous, reason } }];
  },
};
