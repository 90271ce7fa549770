import { type BailleurFacts, type CiteFacts, type ProgrammeFacts, withProgrammeWindow } from '@erbm/shared';
import { given } from '@erbm/shared/testing';
import { programmeLogementsOperation } from '../programming-logements-operation/programme-logements-operation';
import { recordLogementsDelivery } from '../recording-logements-delivery/record-logements-delivery';
import { startPhase } from '../starting-phase/start-phase';
import { type OperationEvent, type Phase } from './operation.events';

/**
 * Business dates inside the programme's window (ADR 0017): the window comes in as a fact of the decision
 * (`programme`), the decision stays pure. ERBM: signed 2017-03-07, target 2027-12-31 (REFERENCE.md §1), 2 years before the
 * signature and 5 after the target → 2015-03-07 to 2032-12-31.
 */
const erbm: ProgrammeFacts = { programmeId: 'erbm', signedOn: '2017-03-07', endYear: 2027, targetDate: '2027-12-31' };
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
  plannedDates: { travaux: '2020-01-15', terminee: '2021-12-31' },
};
const programmed: OperationEvent = {
  type: 'operation.LogementsOperationProgrammed.v1',
  data: { ...programming, epciCode: 'CAHC', financing: 'erbm', lots: [{ lotType: 'PALULOS', logements: 105 }] },
};
const started = (phase: Phase, previousPhase: Phase, startedOn: string): OperationEvent => ({
  type: 'operation.PhaseStarted.v1',
  data: { operationId: 'op-darcy-t1', phase, previousPhase, startedOn, plannedOn: null },
});
const inWorks: OperationEvent[] = [
  programmed,
  started('etudes', 'programmation', '2018-06-10'),
  started('avp', 'etudes', '2019-02-01'),
  started('autorisation', 'avp', '2019-09-01'),
  started('travaux', 'autorisation', '2020-03-02'),
];
const energy = (kwh: number, dpeClass: 'B' | 'F') => ({ primaryEnergyKwhPerM2Year: kwh, dpeClass, dpeScale: '2021' as const });
const delivery = { operationId: 'op-darcy-t1', deliveryId: 'd-1', deliveredOn: '2021-01-20', logements: 60, energyBefore: energy(380, 'F'), energyAfter: energy(104, 'B') };

/** The event of `delivery` recorded on `date` in the operation above. */
const deliveredOn = (date: string): OperationEvent[] => [
  { type: 'operation.LogementsDelivered.v1', data: { ...delivery, deliveredOn: date, citeId: 'cite-darcy', epciCode: 'CAHC', bailleurCode: 'MAISONS_ET_CITES' } },
];

const deliver = withProgrammeWindow(recordLogementsDelivery);
const programme = withProgrammeWindow(programmeLogementsOperation);
const start = withProgrammeWindow(startPhase);

describe('business dates inside the programme window', () => {
  it('looks the programme up with the command’s own facts', () => {
    expect(programme.lookups?.(programming)).toEqual({ cite: { fact: 'cite', id: 'cite-darcy' }, bailleur: { fact: 'bailleur', id: 'MAISONS_ET_CITES' }, programme: { fact: 'programme', id: 'erbm' } });
  });

  it('records a delivery dated inside the window, and on its last day', () => {
    given(deliver, inWorks, { programme: erbm }).when(delivery).then(deliveredOn('2021-01-20'));
    given(deliver, inWorks, { programme: erbm }).when({ ...delivery, deliveredOn: '2032-12-31' }).then(deliveredOn('2032-12-31'));
  });

  it('refuses a delivery dated after the target date plus the margin: PROGRAMME.DATE_OUTSIDE_WINDOW naming the field and the window', () => {
    given(deliver, inWorks, { programme: erbm }).when({ ...delivery, deliveredOn: '2033-01-01' }).thenThrows('PROGRAMME.DATE_OUTSIDE_WINDOW');
    expect(() => deliver.decide(recordLogementsDelivery.parse({ ...delivery, deliveredOn: '2099-06-30' }), foldInWorks(), { programme: erbm })).toThrow(
      expect.objectContaining({
        kind: 'rule',
        message: expect.stringContaining('2015-03-07 to 2032-12-31'),
        violations: [expect.objectContaining({ field: 'deliveredOn', rule: 'PROGRAMME.DATE_OUTSIDE_WINDOW' })],
      }),
    );
  });

  it('refuses an operation programmed before the signature minus the margin, and a planned date beyond the window, naming the nested field', () => {
    given(programme, [], { cite, bailleur, programme: erbm }).when({ ...programming, programmedOn: '1901-01-01' }).thenThrows('PROGRAMME.DATE_OUTSIDE_WINDOW');
    expect(() =>
      programme.decide(programmeLogementsOperation.parse({ ...programming, plannedDates: { travaux: '2020-01-15', terminee: '2034-06-30' } }), programmeLogementsOperation.aggregate.initialState(), {
        cite,
        bailleur,
        programme: erbm,
      }),
    ).toThrow(expect.objectContaining({ code: 'PROGRAMME.DATE_OUTSIDE_WINDOW', violations: [expect.objectContaining({ field: 'plannedDates.terminee' })] }));
  });

  it('refuses the date before the use case’s own rules: 1901-01-01 is outside the programme, not before the works', () => {
    given(deliver, inWorks, { programme: erbm }).when({ ...delivery, deliveredOn: '1901-01-01' }).thenThrows('PROGRAMME.DATE_OUTSIDE_WINDOW');
    given(recordLogementsDelivery, inWorks).when({ ...delivery, deliveredOn: '1901-01-01' }).thenThrows('OPERATION.DELIVERY_BEFORE_WORKS');
  });

  it('follows the target in force: a later target date widens the window', () => {
    given(start, inWorks, { programme: erbm }).when({ operationId: 'op-darcy-t1', phase: 'livraisons', startedOn: '2034-03-01' }).thenThrows('PROGRAMME.DATE_OUTSIDE_WINDOW');
    given(deliver, inWorks, { programme: { ...erbm, targetDate: '2030-12-31' } }).when({ ...delivery, deliveredOn: '2035-06-30' }).then(deliveredOn('2035-06-30'));
  });

  it('applies only the calendar bounds before the programme is launched', () => {
    given(deliver, inWorks, { programme: null }).when({ ...delivery, deliveredOn: '2099-06-30' }).then(deliveredOn('2099-06-30'));
  });
});

function foldInWorks() {
  return inWorks.reduce((s, e) => recordLogementsDelivery.aggregate.evolve(s, e), recordLogementsDelivery.aggregate.initialState());
}
