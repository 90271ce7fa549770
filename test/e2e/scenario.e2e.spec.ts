import { bilanProjection } from '@erbm/projections';
import { TestApi, expectStatus } from './support/api';
import { CALL, CITE, DELEGATION, ETAT, SIA, command, energy, logementsOperationInTravaux, registerReferenceData } from './support/scenario';

/**
 * A small programme driven end to end through HTTP by the délégation and the owners (bailleur, EPCI, financer),
 * then the read models projected and read back with exact figures.
 */
let api: TestApi;
const OP = 'op-12-14-t1';
const URB = 'urb-12-14';

beforeAll(async () => {
  api = await TestApi.start('scenario');
});
afterAll(() => api.close());

/**
 * Records the scenario's commands (each must be accepted: `command` checks the status) and projects them, once: the
 * first test to run does it, whatever the order (`--randomize`), and the others wait for it.
 */
let recorded: Promise<void> | undefined;
const scenario = () => (recorded ??= recordScenario());

async function recordScenario(): Promise<void> {
  await registerReferenceData(api);
  await command(api, `/cites/${CITE}/corrections`, DELEGATION, {
    name: 'Cité du 12/14',
    communes: ['Lens'],
    epciCode: 'CALL',
    bailleurCode: 'SIA_HABITAT',
    logements: 250,
    unesco: true,
    priority: true,
    reason: 'Nombre de logements publié par le bailleur',
  });

  // Logements operation of SIA Habitat: phases up to travaux, two deliveries, planned logements amended, réception.
  await logementsOperationInTravaux(api, OP, 120);
  await command(api, `/operations/${OP}/phase-plans`, SIA, { phase: 'terminee', plannedOn: '2021-12-20', reason: 'Réception décalée' });
  await command(api, `/operations/${OP}/deliveries`, SIA, { deliveryId: 'liv-01', deliveredOn: '2021-01-20', logements: 60, energyBefore: energy(345, 'F'), energyAfter: energy(104, 'B') });
  await command(api, `/operations/${OP}/phases`, SIA, { phase: 'livraisons', startedOn: '2021-01-20' });
  await command(api, `/operations/${OP}/deliveries`, SIA, { deliveryId: 'liv-02', deliveredOn: '2021-06-15', logements: 40, energyBefore: energy(300, 'E'), energyAfter: energy(140, 'C') });
  await command(api, `/operations/${OP}/planned-logements`, SIA, { plannedLogements: 100, amendedOn: '2021-09-01', reason: '20 logements retirés du programme' });
  await command(api, `/operations/${OP}/phases`, SIA, { phase: 'terminee', startedOn: '2021-12-20' });

  // Urban operation of the EPCI: suspended, resumed, then a second one abandoned.
  const urban = (operationId: string) => ({
    operationId,
    citeId: CITE,
    leadKind: 'commune',
    leadName: 'Lens',
    title: `Cité du 12/14 – espaces publics (${operationId})`,
    axisCode: '1a',
    programmedOn: '2019-06-01',
    plannedDates: { etudes: '2019-09-01', travaux: '2021-03-01' },
  });
  await command(api, '/operations/urbaines', CALL, urban(URB));
  await command(api, `/operations/${URB}/phases`, CALL, { phase: 'etudes', startedOn: '2019-09-02' });
  await command(api, `/operations/${URB}/suspensions`, CALL, { suspendedOn: '2020-03-17', reason: 'Confinement' });
  await command(api, `/operations/${URB}/resumptions`, CALL, { resumedOn: '2020-05-11' });
  await command(api, '/operations/urbaines', CALL, urban('urb-12-14-bis'));
  await command(api, '/operations/urb-12-14-bis/abandonment', CALL, { abandonedOn: '2020-01-10', reason: 'Regroupée avec urb-12-14' });

  // Grants: the State decides and pays; the Région's grant is amended; a grant on the urban operation is cancelled.
  await command(api, '/grants', ETAT, {
    grantId: 'g-etat-12-14',
    financerCode: 'ETAT',
    operationId: OP,
    beneficiary: { kind: 'bailleur', code: 'SIA_HABITAT', name: 'SIA Habitat' },
    dispositif: 'aides-a-la-pierre',
    axisCode: '1a',
    amountCents: 96_000_000,
    conventionDate: '2020-02-10',
    decisionRef: null,
  });
  await command(api, '/grants/g-etat-12-14/payments', ETAT, { paymentId: 'v1', paidOn: '2020-10-29', amountCents: 30_000_000 });
  await command(api, '/grants', DELEGATION, {
    grantId: 'g-region-12-14',
    financerCode: 'REGION_HDF',
    operationId: OP,
    beneficiary: { kind: 'bailleur', code: 'SIA_HABITAT', name: 'SIA Habitat' },
    dispositif: 'fonds-conjoint-etat-region',
    axisCode: '1a',
    amountCents: 48_000_000,
    conventionDate: '2020-03-02',
  });
  await command(api, '/grants/g-region-12-14/amendments', 'financer:REGION_HDF', { amountCents: 45_000_000, amendedOn: '2021-03-01', reason: 'Ajustement' });
  await command(api, '/grants', 'financer:REGION_HDF', {
    grantId: 'g-region-urb',
    financerCode: 'REGION_HDF',
    operationId: URB,
    beneficiary: { kind: 'commune', code: null, name: 'Lens' },
    dispositif: 'autre',
    axisCode: '1a',
    amountCents: 20_000_000,
    conventionDate: '2019-07-01',
    decisionRef: 'CP-2019-07-12',
  });
  await command(api, '/grants/g-region-urb/cancellation', 'financer:REGION_HDF', { cancelledOn: '2020-01-15', reason: 'Opération regroupée' });

  // Insertion: the bailleur on its operation (then corrected), the EPCI outside any operation (operationId absent).
  const persons = (deld: number, rsa: number, jeunes: number) => ({ deld, rsa, jeunes, rqth: 0, autres: 0 });
  await command(api, '/insertion/declarations', SIA, {
    declarationId: 'ins-12-14-2021-s1',
    operationId: OP,
    epciCode: 'CALL',
    marcheRef: 'SIA-2020-LOT3',
    periodStart: '2021-01-01',
    periodEnd: '2021-06-30',
    hours: 1200,
    participants: persons(3, 2, 1),
    recruitments: persons(1, 1, 0),
  });
  await command(api, '/insertion/declarations/ins-12-14-2021-s1/corrections', SIA, {
    hours: 1250,
    participants: persons(3, 2, 1),
    recruitments: persons(1, 1, 0),
    reason: 'Heures du mois de juin ajoutées',
  });
  await command(api, '/insertion/declarations', CALL, {
    declarationId: 'ins-call-2021',
    epciCode: 'CALL',
    marcheRef: 'CALL-ERBM-2021',
    periodStart: '2021-01-01',
    periodEnd: '2021-12-31',
    hours: 500,
    participants: persons(1, 0, 1),
    recruitments: persons(0, 0, 1),
  });

  await api.project();
}

/** The estimated part of an insertion row whose declarations are all declared facts (none `estimated`). */
const NOTHING_ESTIMATED_INSERTION = {
  hours: 0,
  participants: { deld: 0, rsa: 0, jeunes: 0, rqth: 0, autres: 0, total: 0 },
  recruitments: { deld: 0, rsa: 0, jeunes: 0, rqth: 0, autres: 0, total: 0 },
};

describe('a full scenario through the API', () => {
  it('accepts every command of the scenario from the organisation owning it', async () => {
    await scenario();
    expect(await api.eventCount()).toBe(36); // the events of the scenario's commands, nothing else
  });

  it('reads the aggregates back with their version as ETag', async () => {
    await scenario();
    const op = await api.get(`/operations/${OP}`);
    expectStatus(op, 200);
    expect(op.headers.etag).toBe('"11"'); // programmed, 4 phases, plan, 2 deliveries, livraisons, amendment, terminee
    expect((op.body as { events: { type: string }[] }).events.map((e) => e.type).slice(-2)).toEqual(['operation.PlannedLogementsAmended.v1', 'operation.PhaseStarted.v1']);
    const grant = await api.get('/grants/g-region-12-14');
    expectStatus(grant, 200);
    expect(grant.headers.etag).toBe('"2"');
    const ins = await api.get('/insertion/declarations/ins-call-2021');
    expectStatus(ins, 200);
    expect(ins.body).toMatchObject({ streamId: 'insertion-ins-call-2021', version: 1, events: [{ type: 'insertion.InsertionHoursDeclared.v1', data: { operationId: null, ownerOrganisation: 'epci:CALL' } }] });
  });

  it('answers logements progress by EPCI, with the monthly timeline', async () => {
    await scenario();
    const res = await api.get('/progress/logements?asOf=2022-12-31&by=epci');
    expectStatus(res, 200);
    expect(res.body).toEqual({
      asOf: '2022-12-31',
      target: 23000,
      delivered: 100,
      by: 'epci',
      groups: [{ key: 'CALL', label: "Communauté d'agglomération de Lens-Liévin", delivered: 100 }],
      timeline: [
        { month: '2021-01', delivered: 60, cumulative: 60 },
        { month: '2021-06', delivered: 40, cumulative: 100 },
      ],
      timelineByGroup: [
        {
          key: 'CALL',
          label: "Communauté d'agglomération de Lens-Liévin",
          points: [
            { month: '2021-01', delivered: 60, cumulative: 60 },
            { month: '2021-06', delivered: 40, cumulative: 100 },
          ],
        },
      ],
      checkpoint: { projection: 'bilan', version: bilanProjection.version, position: expect.stringMatching(/^\d+\/\d+$/) },
    });
    const mid = await api.get('/progress/logements?asOf=2021-03-31&by=bailleur');
    expect(mid.body).toMatchObject({ delivered: 60, groups: [{ key: 'SIA_HABITAT', label: 'SIA Habitat', delivered: 60 }] });
  });

  it('answers operations by phase, on two dates', async () => {
    await scenario();
    const end = await api.get('/operations-by-phase?asOf=2022-12-31');
    expectStatus(end, 200);
    expect(end.body).toEqual([
      { kind: 'logements', financing: 'erbm', phase: 'terminee', operations: 1, operationsEstimated: 0, plannedLogements: 100 },
      { kind: 'urbaine', financing: null, phase: 'abandonnee', operations: 1, operationsEstimated: 0, plannedLogements: 0 },
      { kind: 'urbaine', financing: null, phase: 'etudes', operations: 1, operationsEstimated: 0, plannedLogements: 0 },
    ]);
    const covid = await api.get('/operations-by-phase?asOf=2020-04-01');
    expect(covid.body).toEqual([
      { kind: 'logements', financing: 'erbm', phase: 'autorisation', operations: 1, operationsEstimated: 0, plannedLogements: 100 },
      { kind: 'urbaine', financing: null, phase: 'abandonnee', operations: 1, operationsEstimated: 0, plannedLogements: 0 },
      { kind: 'urbaine', financing: null, phase: 'suspendue', operations: 1, operationsEstimated: 0, plannedLogements: 0 },
    ]);
  });

  it('answers subsidies decided and paid by financer, in integer cents', async () => {
    await scenario();
    const res = await api.get('/subsidies?asOf=2022-12-31&groupBy=financer');
    expectStatus(res, 200);
    expect(res.body).toEqual([
      { keys: { financer: 'ETAT' }, decidedCents: 96_000_000, decidedEstimatedCents: 0, paidCents: 30_000_000, paidEstimatedCents: 0 },
      { keys: { financer: 'REGION_HDF' }, decidedCents: 45_000_000, decidedEstimatedCents: 0, paidCents: 0, paidEstimatedCents: 0 },
    ]);
    const before = await api.get('/subsidies?asOf=2020-02-29&groupBy=financer');
    expect(before.body).toEqual([
      { keys: { financer: 'ETAT' }, decidedCents: 96_000_000, decidedEstimatedCents: 0, paidCents: 0, paidEstimatedCents: 0 },
      { keys: { financer: 'REGION_HDF' }, decidedCents: 0, decidedEstimatedCents: 0, paidCents: 0, paidEstimatedCents: 0 },
    ]);
  });

  it('answers insertion hours and persons by EPCI', async () => {
    await scenario();
    const res = await api.get('/insertion?asOf=2022-12-31&groupBy=epci');
    expectStatus(res, 200);
    expect(res.body).toEqual([
      {
        keys: { epci: 'CALL' },
        hours: 1750,
        participants: { deld: 4, rsa: 2, jeunes: 2, rqth: 0, autres: 0, total: 8 },
        recruitments: { deld: 1, rsa: 1, jeunes: 1, rqth: 0, autres: 0, total: 3 },
        // The scenario records declared facts only: no part of any figure is estimated (ADR 0021).
        estimated: NOTHING_ESTIMATED_INSERTION,
      },
    ]);
  });

  it('answers insertion by axis of the programme: every declaration on 2e, where the review reports insertion', async () => {
    await scenario();
    const res = await api.get('/insertion?asOf=2022-12-31&groupBy=axis,epci');
    expectStatus(res, 200);
    expect(res.body).toEqual([
      {
        keys: { axis: '2e', epci: 'CALL' },
        hours: 1750,
        participants: { deld: 4, rsa: 2, jeunes: 2, rqth: 0, autres: 0, total: 8 },
        recruitments: { deld: 1, rsa: 1, jeunes: 1, rqth: 0, autres: 0, total: 3 },
        // The scenario records declared facts only: no part of any figure is estimated (ADR 0021).
        estimated: NOTHING_ESTIMATED_INSERTION,
      },
    ]);
  });

  it('labels the deliveries by axis in French', async () => {
    await scenario();
    const res = await api.get('/reports/bilan?asOf=2022-12-31');
    expectStatus(res, 200);
    expect(res.body.logements.byAxis).toEqual([{ key: '1a', label: 'Rénover les cités minières', delivered: 100, deliveredEstimated: 0 }]);
    expect(res.body.byAxis).toEqual([
      { code: '1a', label: 'Rénover les cités minières', logementsDelivered: 100, subsidiesDecided: { cents: 141_000_000, eur: '1410000.00' }, subsidiesPaid: { cents: 30_000_000, eur: '300000.00' }, insertionHours: 0 },
      { code: '2e', label: "Agir par l'insertion et la formation", logementsDelivered: 0, subsidiesDecided: { cents: 0, eur: '0.00' }, subsidiesPaid: { cents: 0, eur: '0.00' }, insertionHours: 1750 },
    ]);
  });

  it('answers energy results against the 130 kWhEP/m².an goal', async () => {
    await scenario();
    const res = await api.get('/energy?asOf=2022-12-31');
    expectStatus(res, 200);
    expect(res.body).toEqual({
      logements: 100,
      averageBeforeKwhPerM2Year: 327, // (60 × 345 + 40 × 300) / 100
      averageAfterKwhPerM2Year: 118.4, // (60 × 104 + 40 × 140) / 100
      goalKwhPerM2Year: 130,
      logementsUnderGoal: 60,
      shareUnderGoal: 0.6,
      dpeBefore: { E: 40, F: 60 },
      dpeAfter: { B: 60, C: 40 },
      estimated: { logements: 0, logementsUnderGoal: 0, dpeBefore: { E: 0, F: 0 }, dpeAfter: { B: 0, C: 0 } },
      checkpoint: { projection: 'bilan', version: bilanProjection.version, position: expect.stringMatching(/^\d+\/\d+$/) },
    });
  });

  it('builds the bilan as of the end of 2022', async () => {
    await scenario();
    const res = await api.get('/reports/bilan?asOf=2022-12-31');
    expectStatus(res, 200);
    expect(res.body).toMatchObject({
      asOf: '2022-12-31',
      knownAt: null,
      programme: { targetVersion: 1, targetDate: '2027-12-31', energyGoalKwhPerM2Year: 130 },
      logements: { target: 23000, delivered: 100, percentage: 0.4, byFinancer: [{ key: 'ETAT', delivered: 100 }, { key: 'REGION_HDF', delivered: 100 }] },
      operations: { logements: { terminees: 1, enTravaux: 0 }, urbaines: { terminees: 0, enTravaux: 0 } },
      subsidies: {
        logementsCents: 141_000_000,
        logementsEur: '1410000.00',
        urbainesEtatRegion2021_2022Cents: 0,
        decided: { cents: 141_000_000, eur: '1410000.00' },
        paid: { cents: 30_000_000, eur: '300000.00' },
        byFinancer: [
          { financer: 'ETAT', decided: { cents: 96_000_000 }, paid: { cents: 30_000_000 } },
          { financer: 'REGION_HDF', decided: { cents: 45_000_000 }, paid: { cents: 0 } },
        ],
      },
      insertion: { logementsHours: 1250, logementsRecruited: 2, logementsRsa: 1, programmeHours: 1750, programmeParticipantsDeld: 4 },
      energy: { logements: 100, logementsUnderGoal: 60 },
    });
  });
});
