import { OPERATION_EVENT_TYPES, type OperationEvent } from './operation.events';

// Pins the serialized JSON of every operation event type: a change to a stored shape fails here and needs a new
// versioned type string plus an upcaster (docs/events.md#versioning).
const energy = { primaryEnergyKwhPerM2Year: 320, dpeClass: 'E', dpeScale: '2021' } as const;
const energyAfter = { primaryEnergyKwhPerM2Year: 120, dpeClass: 'C', dpeScale: '2021' } as const;
const examples: OperationEvent[] = [
  {
    type: 'operation.LogementsOperationProgrammed.v1',
    data: { operationId: 'op-1', citeId: 'cite-1', epciCode: 'CALL', bailleurCode: 'SIA_HABITAT', title: 'T1', plannedLogements: 118, financing: 'erbm', axisCode: '1a', lots: [{ lotType: 'PALULOS', logements: 118 }], programmedOn: '2019-01-15', plannedDates: { travaux: '2020-09-01' } },
  },
  { type: 'operation.UrbanOperationProgrammed.v1', data: { operationId: 'op-2', citeId: 'cite-1', epciCode: 'CALL', leadKind: 'commune', leadName: 'Méricourt', title: 'Espaces publics', axisCode: '1a', programmedOn: '2021-01-01', plannedDates: {} } },
  { type: 'operation.PhaseStarted.v1', data: { operationId: 'op-1', phase: 'etudes', previousPhase: 'programmation', startedOn: '2019-03-01', plannedOn: null } },
  { type: 'operation.PhasePlanRevised.v1', data: { operationId: 'op-1', phase: 'travaux', previousPlannedOn: '2020-09-01', plannedOn: '2021-01-04', reason: 'appel d’offres infructueux' } },
  { type: 'operation.OperationSuspended.v1', data: { operationId: 'op-1', suspendedOn: '2020-03-17', reason: 'confinement' } },
  { type: 'operation.OperationResumed.v1', data: { operationId: 'op-1', resumedOn: '2020-05-11' } },
  { type: 'operation.OperationAbandoned.v1', data: { operationId: 'op-1', abandonedOn: '2022-01-01', reason: 'démolition décidée' } },
  { type: 'operation.LogementsDelivered.v1', data: { operationId: 'op-1', deliveryId: 'd-1', deliveredOn: '2021-10-01', logements: 40, energyBefore: energy, energyAfter, citeId: 'cite-1', epciCode: 'CALL', bailleurCode: 'SIA_HABITAT' } },
  {
    type: 'operation.LogementsDeliveryCorrected.v1',
    data: { operationId: 'op-1', deliveryId: 'd-1', deliveredOn: '2021-10-01', logements: 38, energyBefore: energy, energyAfter, previous: { deliveredOn: '2021-10-01', logements: 40, energyBefore: energy, energyAfter }, reason: 'erreur de saisie' },
  },
  { type: 'operation.PlannedLogementsAmended.v1', data: { operationId: 'op-1', previousPlannedLogements: 118, plannedLogements: 120, amendedOn: '2021-02-01', reason: 'avenant' } },
];

describe('operation events: stored JSON', () => {
  it('has one example per event type', () => expect(examples.map((e) => e.type).sort()).toEqual([...OPERATION_EVENT_TYPES].sort()));
  it.each(examples.map((e) => [e.type, e]))('%s', (_type, event) => expect(JSON.stringify(event)).toMatchSnapshot());
});
