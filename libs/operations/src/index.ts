import { type AnyUseCase } from '@erbm/shared';
import { abandonOperation } from './abandoning-operation/abandon-operation';
import { amendPlannedLogements } from './amending-planned-logements/amend-planned-logements';
import { correctLogementsDelivery } from './correcting-logements-delivery/correct-logements-delivery';
import { programmeLogementsOperation } from './programming-logements-operation/programme-logements-operation';
import { programmeUrbanOperation } from './programming-urban-operation/programme-urban-operation';
import { recordLogementsDelivery } from './recording-logements-delivery/record-logements-delivery';
import { revisePhasePlan } from './revising-phase-plan/revise-phase-plan';
import { startPhase } from './starting-phase/start-phase';
import { resumeOperation, suspendOperation } from './suspending-operation/suspend-operation';

export * from './operation/energy';
export * from './operation/operation.events';
export * from './operation/operation.aggregate';
export * from './operation/operation.rules';
export * from './programming-logements-operation/programme-logements-operation';
export * from './programming-urban-operation/programme-urban-operation';
export * from './starting-phase/start-phase';
export * from './revising-phase-plan/revise-phase-plan';
export * from './suspending-operation/suspend-operation';
export * from './abandoning-operation/abandon-operation';
export * from './recording-logements-delivery/record-logements-delivery';
export * from './correcting-logements-delivery/correct-logements-delivery';
export * from './amending-planned-logements/amend-planned-logements';

/** Every command of the operations context. */
export const operationUseCases: AnyUseCase[] = [
  programmeLogementsOperation,
  programmeUrbanOperation,
  startPhase,
  revisePhasePlan,
  suspendOperation,
  resumeOperation,
  abandonOperation,
  recordLogementsDelivery,
  correctLogementsDelivery,
  amendPlannedLogements,
];
