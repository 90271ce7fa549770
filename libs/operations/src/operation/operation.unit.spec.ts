import { type CiteFacts, type BailleurFacts } from '@erbm/shared';
import { given } from '@erbm/shared/testing';
import { abandonOperation } from '../abandoning-operation/abandon-operation';
import { amendPlannedLogements } from '../amending-planned-logements/amend-planned-logements';
import { correctLogementsDelivery } from '../correcting-logements-delivery/correct-logements-delivery';
import { programmeLogementsOperation } from '../programming-logements-operation/programme-logements-operation';
import { programmeUrbanOperation } from '../programming-urban-operation/programme-urban-operation';
import { recordLogementsDelivery } from '../recording-logements-delivery/record-logements-delivery';
import { revisePhasePlan } from '../revising-phase-plan/revise-phase-plan';
import { startPhase } from '../starting-phase/start-phase';
import { resumeOperation, suspendOperation } from '../suspending-operation/suspend-operation';
import { energyClass2021 } from './energy';
import { type OperationEvent, type Phase } from './operation.events';

// Cité Darcy (Hénin-Beaumont, CAHC), Maisons & Cités: 383 logements, first tranche 105 (REFERENCE.md §6).
const cite: CiteFacts = { citeId: 'cite-darcy', name: 'Cité Darcy', epciCode: 'CAHC', bailleurCode: 'MAISONS_ET_CITES' };
const bailleur: BailleurFacts = { bailleurCode: 'MAISONS_ET_CITES', name: 'Maisons & Cités' };
const programming = {
  operationId: 'op-darcy-t1',
  citeId: 'cite-darcy',
  bailleurCode: 'MAISONS_ET_CITES',
  title: 'Cité Darcy, tranche 1',
  plannedLogements: 105,
  financing: 'erbm',
  axisCode: '1a',
  lots: [{ lotType: 'PALULOS', logements: 105 }],
  programmedOn: '2018-03-01',
  plannedDates: { etudes: '2018-06-01', avp: '2019-01-01', travaux: '2020-01-15', terminee: '2021-12-31' },
};
const programmed: OperationEvent = {
  type: 'operation.LogementsOperationProgrammed.v1',
  data: { ...programming, epciCode: 'CAHC', financing: 'erbm', lots: [{ lotType: 'PALULOS', logements: 105 }] },
};
const started = (phase: Phase, previousPhase: Phase, startedOn: string, plannedOn: string | null = null): OperationEvent => ({
  type: 'operation.PhaseStarted.v1',
  data: { operationId: 'op-darcy-t1', phase, previousPhase, startedOn, plannedOn },
});
const inWorks: OperationEvent[] = [
  programmed,
  started('etudes', 'programmation', '2018-06-10', '2018-06-01'),
  started('avp', 'etudes', '2019-02-01', '2019-01-01'),
  started('autorisation', 'avp', '2019-09-01'),
  started('travaux', 'autorisation', '2020-03-02', '2020-01-15'),
];
const before = { primaryEnergyKwhPerM2Year: 380, dpeClass: 'F', dpeScale: '2021' } as const;
const after = { primaryEnergyKwhPerM2Year: 104, dpeClass: 'B', dpeScale: '2021' } as const;
const delivery = { operationId: 'op-darcy-t1', deliveryId: 'd-2021-01', deliveredOn: '2021-01-20', logements: 60, energyBefore: before, energyAfter: after };
const delivered: OperationEvent = {
  type: 'operation.LogementsDelivered.v1',
  data: { ...delivery, energyBefore: { ...before }, energyAfter: { ...after }, citeId: 'cite-darcy', epciCode: 'CAHC', bailleurCode: 'MAISONS_ET_CITES' },
};

describe('operations: programming', () => {
  it('programmes a logements operation in the cité, copying its EPCI', () =>
    given(programmeLogementsOperation, [], { cite, bailleur }).when(programming).then([programmed]));
  it('refuses an unknown cité or bailleur, a duplicate id, lots that do not add up, plans before programming', () => {
    given(programmeLogementsOperation, [], { cite: null, bailleur }).when(programming).thenThrows('CITE.NOT_FOUND');
    given(programmeLogementsOperation, [], { cite, bailleur: null }).when(programming).thenThrows('BAILLEUR.NOT_FOUND');
    given(programmeLogementsOperation, [programmed], { cite, bailleur }).when(programming).thenThrows('OPERATION.ALREADY_PROGRAMMED');
    given(programmeLogementsOperation, [], { cite, bailleur }).when({ ...programming, lots: [{ lotType: 'PALULOS', logements: 100 }] }).thenThrows('OPERATION.LOTS_MISMATCH');
    given(programmeLogementsOperation, [], { cite, bailleur }).when({ ...programming, plannedDates: { etudes: '2017-01-01' } }).thenThrows('OPERATION.PLAN_BEFORE_PROGRAMMING');
  });
  it('rejects planned dates going backwards along the phases', () =>
    given(programmeLogementsOperation, [], { cite, bailleur }).when({ ...programming, plannedDates: { avp: '2020-01-01', travaux: '2019-01-01' } }).thenThrows('COMMAND.INVALID'));
  it('programmes an urban operation owned by the EPCI of the cité, with no livraisons phase', () => {
    const urban = { operationId: 'op-darcy-ep', citeId: 'cite-darcy', leadKind: 'commune', leadName: 'Hénin-Beaumont', title: 'Espaces publics', axisCode: '1a', programmedOn: '2021-02-01', plannedDates: { travaux: '2022-03-01' } };
    given(programmeUrbanOperation, [], { cite }).when(urban).then([{ type: 'operation.UrbanOperationProgrammed.v1', data: { ...urban, epciCode: 'CAHC' } }]);
    expect(programmeUrbanOperation.owner?.(programmeUrbanOperation.parse(urban), programmeUrbanOperation.aggregate.initialState(), { cite })).toBe('epci:CAHC');
    given(programmeUrbanOperation, [], { cite }).when({ ...urban, plannedDates: { livraisons: '2022-03-01' } }).thenThrows('OPERATION.PHASE_NOT_NEXT');
  });
});

describe('operations: phases', () => {
  it('starts the next phase, recording what was planned for it', () =>
    given(startPhase, [programmed]).when({ operationId: 'op-darcy-t1', phase: 'etudes', startedOn: '2018-06-10' }).then([started('etudes', 'programmation', '2018-06-10', '2018-06-01')]));
  it('only moves to the next phase, and never back in time', () => {
    given(startPhase, [programmed]).when({ operationId: 'op-darcy-t1', phase: 'avp', startedOn: '2018-06-10' }).thenThrows('OPERATION.PHASE_NOT_NEXT');
    given(startPhase, inWorks).when({ operationId: 'op-darcy-t1', phase: 'avp', startedOn: '2020-06-10' }).thenThrows('OPERATION.PHASE_NOT_NEXT');
    given(startPhase, [programmed]).when({ operationId: 'op-darcy-t1', phase: 'etudes', startedOn: '2018-01-01' }).thenThrows('OPERATION.DATE_BEFORE_PREVIOUS');
  });
  it('lets travaux go straight to terminee when everything is delivered, not before', () => {
    given(startPhase, inWorks).when({ operationId: 'op-darcy-t1', phase: 'terminee', startedOn: '2021-06-01' }).thenThrows('OPERATION.DELIVERIES_INCOMPLETE');
    const full = { ...delivered, data: { ...(delivered.data as object), logements: 105 } } as OperationEvent;
    given(startPhase, [...inWorks, full]).when({ operationId: 'op-darcy-t1', phase: 'terminee', startedOn: '2021-06-01' }).then([started('terminee', 'travaux', '2021-06-01', '2021-12-31')]);
    given(startPhase, [...inWorks, full]).when({ operationId: 'op-darcy-t1', phase: 'terminee', startedOn: '2021-01-19' }).thenThrows('OPERATION.DATE_BEFORE_PREVIOUS');
  });
  it('freezes a suspended operation until it resumes, and ends an abandoned one', () => {
    const suspended: OperationEvent = { type: 'operation.OperationSuspended.v1', data: { operationId: 'op-darcy-t1', suspendedOn: '2020-04-01', reason: 'confinement' } };
    given(suspendOperation, inWorks).when({ operationId: 'op-darcy-t1', suspendedOn: '2020-04-01', reason: 'confinement' }).then([suspended]);
    given(startPhase, [...inWorks, suspended]).when({ operationId: 'op-darcy-t1', phase: 'livraisons', startedOn: '2020-05-01' }).thenThrows('OPERATION.SUSPENDED');
    given(recordLogementsDelivery, [...inWorks, suspended]).when(delivery).thenThrows('OPERATION.SUSPENDED');
    given(resumeOperation, inWorks).when({ operationId: 'op-darcy-t1', resumedOn: '2020-06-01' }).thenThrows('OPERATION.NOT_SUSPENDED');
    given(resumeOperation, [...inWorks, suspended]).when({ operationId: 'op-darcy-t1', resumedOn: '2020-03-01' }).thenThrows('OPERATION.DATE_BEFORE_PREVIOUS');
    given(resumeOperation, [...inWorks, suspended]).when({ operationId: 'op-darcy-t1', resumedOn: '2020-06-01' }).then([{ type: 'operation.OperationResumed.v1', data: { operationId: 'op-darcy-t1', resumedOn: '2020-06-01' } }]);
    const abandoned: OperationEvent = { type: 'operation.OperationAbandoned.v1', data: { operationId: 'op-darcy-t1', abandonedOn: '2020-05-01', reason: 'x' } };
    given(abandonOperation, inWorks).when({ operationId: 'op-darcy-t1', abandonedOn: '2020-05-01', reason: 'x' }).then([abandoned]);
    given(abandonOperation, [...inWorks, abandoned]).when({ operationId: 'op-darcy-t1', abandonedOn: '2020-06-01', reason: 'x' }).thenThrows('OPERATION.ABANDONED');
  });
  it('revises the plan of a phase not started yet', () => {
    given(revisePhasePlan, inWorks).when({ operationId: 'op-darcy-t1', phase: 'terminee', plannedOn: '2022-06-30', reason: 'retard chantier' }).then([
      { type: 'operation.PhasePlanRevised.v1', data: { operationId: 'op-darcy-t1', phase: 'terminee', previousPlannedOn: '2021-12-31', plannedOn: '2022-06-30', reason: 'retard chantier' } },
    ]);
    given(revisePhasePlan, inWorks).when({ operationId: 'op-darcy-t1', phase: 'travaux', plannedOn: '2022-06-30', reason: 'x' }).thenThrows('OPERATION.PHASE_ALREADY_STARTED');
  });
});

describe('operations: logements livrés', () => {
  it('records a delivery in works with cité, EPCI and bailleur', () => given(recordLogementsDelivery, inWorks).when(delivery).then([delivered]));
  it('never delivers beyond the planned logements without an amendment', () => {
    given(recordLogementsDelivery, [...inWorks, delivered]).when({ ...delivery, deliveryId: 'd-2021-02', logements: 46 }).thenThrows('OPERATION.DELIVERY_EXCEEDS_PLANNED');
    given(recordLogementsDelivery, [...inWorks, delivered]).when({ ...delivery, deliveryId: 'd-2021-02', logements: 45 }).then([
      { ...delivered, data: { ...(delivered.data as object), deliveryId: 'd-2021-02', logements: 45 } } as OperationEvent,
    ]);
  });
  it('refuses deliveries before works, outside works, twice, or on unknown operations', () => {
    given(recordLogementsDelivery, inWorks).when({ ...delivery, deliveredOn: '2020-03-01' }).thenThrows('OPERATION.DELIVERY_BEFORE_WORKS');
    given(recordLogementsDelivery, inWorks.slice(0, 3)).when(delivery).thenThrows('OPERATION.DELIVERY_OUTSIDE_WORKS');
    given(recordLogementsDelivery, [...inWorks, delivered]).when(delivery).thenThrows('OPERATION.DELIVERY_ALREADY_RECORDED');
    given(recordLogementsDelivery, []).when(delivery).thenThrows('OPERATION.NOT_FOUND');
  });
  it('rejects a DPE class better than the primary energy allows, and negative or fractional counts', () => {
    given(recordLogementsDelivery, inWorks).when({ ...delivery, energyAfter: { primaryEnergyKwhPerM2Year: 150, dpeClass: 'B', dpeScale: '2021' } }).thenThrows('ENERGY.DPE_CLASS_INCONSISTENT');
    given(recordLogementsDelivery, inWorks).when({ ...delivery, logements: -3 }).thenThrows('COMMAND.INVALID');
    given(recordLogementsDelivery, inWorks).when({ ...delivery, logements: 2.5 }).thenThrows('COMMAND.INVALID');
  });
  it('corrects a delivery with a compensating event keeping the previous figures', () => {
    const correction = { ...delivery, logements: 58, reason: 'double comptage de 2 logements' };
    given(correctLogementsDelivery, [...inWorks, delivered]).when(correction).then([
      {
        type: 'operation.LogementsDeliveryCorrected.v1',
        data: { operationId: 'op-darcy-t1', deliveryId: 'd-2021-01', deliveredOn: '2021-01-20', logements: 58, energyBefore: before, energyAfter: after, previous: { deliveredOn: '2021-01-20', logements: 60, energyBefore: before, energyAfter: after }, reason: 'double comptage de 2 logements' },
      },
    ]);
    given(correctLogementsDelivery, [...inWorks, delivered]).when({ ...delivery, reason: 'rien' }).thenThrows('OPERATION.CORRECTION_UNCHANGED');
    given(correctLogementsDelivery, inWorks).when(correction).thenThrows('OPERATION.DELIVERY_NOT_FOUND');
  });
  it('corrects a corrected delivery from its latest figures, and never records the delivery again', () => {
    const corrected: OperationEvent = {
      type: 'operation.LogementsDeliveryCorrected.v1',
      data: { ...(delivered.data as object), logements: 58, deliveredOn: '2021-01-10', previous: { deliveredOn: '2021-01-20', logements: 60, energyBefore: before, energyAfter: after }, reason: 'x' },
    } as OperationEvent;
    given(correctLogementsDelivery, [...inWorks, delivered, corrected]).when({ ...delivery, logements: 57, reason: 'encore' }).then([
      {
        type: 'operation.LogementsDeliveryCorrected.v1',
        data: { operationId: 'op-darcy-t1', deliveryId: 'd-2021-01', deliveredOn: '2021-01-20', logements: 57, energyBefore: before, energyAfter: after, previous: { deliveredOn: '2021-01-10', logements: 58, energyBefore: before, energyAfter: after }, reason: 'encore' },
      },
    ]);
    given(correctLogementsDelivery, [...inWorks, delivered, corrected]).when({ ...delivery, deliveredOn: '2021-01-10', logements: 58, reason: 'rien' }).thenThrows('OPERATION.CORRECTION_UNCHANGED');
    given(recordLogementsDelivery, [...inWorks, delivered, corrected]).when(delivery).thenThrows('OPERATION.DELIVERY_ALREADY_RECORDED');
    // Another delivery's events are not this one's.
    given(correctLogementsDelivery, [...inWorks, delivered, corrected]).when({ ...delivery, deliveryId: 'd-2021-09', reason: 'x' }).thenThrows('OPERATION.DELIVERY_NOT_FOUND');
  });
  it('finds a correction unchanged whatever the order of the stored figures’ keys (jsonb reorders them)', () => {
    const reordered = { ...delivered, data: { ...(delivered.data as object), energyBefore: { dpeClass: 'F', dpeScale: '2021', primaryEnergyKwhPerM2Year: 380 }, energyAfter: { dpeScale: '2021', dpeClass: 'B', primaryEnergyKwhPerM2Year: 104 } } } as OperationEvent;
    given(correctLogementsDelivery, [...inWorks, reordered]).when({ ...delivery, reason: 'rien' }).thenThrows('OPERATION.CORRECTION_UNCHANGED');
  });
  it('dates réception after the last delivery as corrected', () => {
    const full = { ...delivered, data: { ...(delivered.data as object), logements: 105, deliveredOn: '2021-03-01' } } as OperationEvent;
    const moved: OperationEvent = {
      type: 'operation.LogementsDeliveryCorrected.v1',
      data: { ...(full.data as object), deliveredOn: '2021-02-01', previous: { deliveredOn: '2021-03-01', logements: 105, energyBefore: before, energyAfter: after }, reason: 'date' },
    } as OperationEvent;
    const terminee = { operationId: 'op-darcy-t1', phase: 'terminee', startedOn: '2021-02-15' };
    given(startPhase, [...inWorks, full]).when(terminee).thenThrows('OPERATION.DATE_BEFORE_PREVIOUS');
    given(startPhase, [...inWorks, full, moved]).when(terminee).then([started('terminee', 'travaux', '2021-02-15', '2021-12-31')]);
  });
  it('amends planned logements, never below those delivered', () => {
    given(amendPlannedLogements, [...inWorks, delivered]).when({ operationId: 'op-darcy-t1', plannedLogements: 59, amendedOn: '2021-02-01', reason: 'x' }).thenThrows('OPERATION.PLANNED_BELOW_DELIVERED');
    given(amendPlannedLogements, [...inWorks, delivered]).when({ operationId: 'op-darcy-t1', plannedLogements: 120, amendedOn: '2021-02-01', reason: 'tranche 1 élargie' }).then([
      { type: 'operation.PlannedLogementsAmended.v1', data: { operationId: 'op-darcy-t1', previousPlannedLogements: 105, plannedLogements: 120, amendedOn: '2021-02-01', reason: 'tranche 1 élargie' } },
    ]);
  });
});

describe('energy classes (DPE 2021 scale, REFERENCE.md §9)', () => {
  it.each([
    [70, 'A'], [71, 'B'], [110, 'B'], [111, 'C'], [180, 'C'], [250, 'D'], [330, 'E'], [420, 'F'], [421, 'G'],
  ])('%i kWhEP/m².an is class %s', (kwh, cls) => expect(energyClass2021(kwh)).toBe(cls));
});
