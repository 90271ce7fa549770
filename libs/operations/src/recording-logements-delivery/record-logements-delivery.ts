import { Check, type UseCase, conflict } from '@erbm/shared';
import { type EnergyPerformance, parseEnergy } from '../operation/energy';
import { type DeliveryContext, type OperationState, deliveryKeyed, operationAggregate, operationStream } from '../operation/operation.aggregate';
import { type LogementsDelivered, type OperationEvent } from '../operation/operation.events';
import { OperationRules } from '../operation/operation.rules';

/**
 * `operation.RecordLogementsDelivery`: `logements` renovated logements delivered on `deliveredOn` (ISO date), with
 * primary energy before and after works (kWhEP/m².an, DPE class, scale version).
 */
export interface RecordLogementsDelivery {
  operationId: string;
  deliveryId: string;
  deliveredOn: string;
  logements: number;
  energyBefore: EnergyPerformance;
  energyAfter: EnergyPerformance;
}

export const recordLogementsDelivery: UseCase<RecordLogementsDelivery, OperationState, OperationEvent, DeliveryContext> = {
  type: 'operation.RecordLogementsDelivery',
  aggregate: operationAggregate,
  parse(data) {
    const c = new Check(data as Record<string, unknown>).only('operationId', 'deliveryId', 'deliveredOn', 'logements', 'energyBefore', 'energyAfter');
    const cmd = {
      operationId: c.id('operationId'),
      deliveryId: c.id('deliveryId'),
      deliveredOn: c.date('deliveredOn'),
      logements: c.integer('logements', 1, 100_000),
      energyBefore: parseEnergy(c, 'energyBefore'),
      energyAfter: parseEnergy(c, 'energyAfter'),
    };
    c.done();
    return cmd;
  },
  streamId: (cmd) => operationStream(cmd.operationId),
  keyed: (cmd) => deliveryKeyed(cmd.deliveryId),
  businessDates: (cmd) => ({ deliveredOn: cmd.deliveredOn }),
  owner: (_cmd, state) => state.ownerOrganisation,
  decide(cmd, state, ctx): LogementsDelivered[] {
    OperationRules.mustExist(state);
    OperationRules.mustBeLogements(state);
    OperationRules.mustBeInProgress(state);
    if (ctx.delivery) throw conflict('OPERATION.DELIVERY_ALREADY_RECORDED', `Delivery ${cmd.deliveryId} is already recorded; correct it instead`);
    OperationRules.inWorks(state);
    OperationRules.deliveredAfterWorksStart(state, cmd.deliveredOn);
    OperationRules.withinPlanned(state, state.deliveredLogements + cmd.logements);
    OperationRules.energyConsistent(cmd.energyBefore, 'energyBefore');
    OperationRules.energyConsistent(cmd.energyAfter, 'energyAfter');
    return [
      {
        type: 'operation.LogementsDelivered.v1',
        data: { ...cmd, citeId: state.citeId ?? '', epciCode: state.epciCode ?? '', bailleurCode: state.bailleurCode ?? '' },
      },
    ];
  },
};
