import { TestApi, expectProblem, expectStatus } from './support/api';
import { ETAT, MAISONS, SIA, command, energy, logementsOperationInTravaux, registerReferenceData } from './support/scenario';

interface Entry {
  position: number;
  type: string;
  recordedAt: string;
  businessDate: string | null;
  actor: { organisation: string; user: string; channel: string; clientId: string | null };
  correlationId: string;
  commandId: string;
  summary: string;
  changes: { field: string; before: unknown; after: unknown }[];
  reason: string | null;
}

/** Audit history: every event of an aggregate, who acted, when, and what corrections and amendments changed. */
describe('history (GET …/history)', () => {
  let api: TestApi;
  const OP = 'op-hist';

  beforeAll(async () => {
    api = await TestApi.start('history');
    await registerReferenceData(api);
    await logementsOperationInTravaux(api, OP, 120, SIA);
  });
  afterAll(() => api.close());

  it('shows a delivery then its correction, with the reason and the before → after of the changed figures', async () => {
    expectStatus(
      await api.post(`/operations/${OP}/deliveries`, SIA, { deliveryId: 'l1', deliveredOn: '2021-01-20', logements: 60, energyBefore: energy(300, 'E'), energyAfter: energy(100, 'B') }, { 'Idempotency-Key': 'sia-l1', 'X-Correlation-Id': 'weekly-2021-03' }),
      201,
    );
    await command(api, `/operations/${OP}/deliveries/l1/corrections`, SIA, {
      deliveredOn: '2021-01-20',
      logements: 55,
      energyBefore: energy(300, 'E'),
      energyAfter: energy(100, 'B'),
      reason: 'Cinq logements comptés deux fois',
    });
    const res = await api.get(`/operations/${OP}/history`, SIA);
    expect(res.status).toBe(200);
    const entries = (res.body as { entries: Entry[] }).entries;
    expect(res.headers.etag).toBe(`"${entries.length}"`);
    expect(entries.map((e) => e.position)).toEqual(entries.map((_e, i) => i + 1));
    expect(entries[0]).toMatchObject({ type: 'operation.LogementsOperationProgrammed.v1', businessDate: '2019-01-15', changes: [], reason: null });
    const [delivered, corrected] = entries.slice(-2);
    expect(delivered).toMatchObject({
      type: 'operation.LogementsDelivered.v1',
      businessDate: '2021-01-20',
      summary: '60 logements livrés le 20/01/2021',
      actor: { organisation: SIA, channel: 'api', clientId: expect.any(String) },
      commandId: 'sia-l1',
      correlationId: 'weekly-2021-03',
      changes: [],
    });
    expect(corrected).toMatchObject({
      type: 'operation.LogementsDeliveryCorrected.v1',
      businessDate: '2021-01-20',
      summary: 'Livraison l1 corrigée : 60 → 55 logements livrés le 20/01/2021',
      reason: 'Cinq logements comptés deux fois',
      changes: [{ field: 'logements', before: 60, after: 55 }],
    });
    expect(Date.parse(corrected.recordedAt)).toBeGreaterThanOrEqual(Date.parse(delivered.recordedAt));
  });

  it('shows a grant amended with the amounts before and after', async () => {
    await command(api, '/grants', ETAT, {
      grantId: 'g-hist',
      financerCode: 'ETAT',
      operationId: OP,
      beneficiary: { kind: 'bailleur', code: 'SIA_HABITAT', name: 'SIA Habitat' },
      dispositif: 'aides-a-la-pierre',
      axisCode: '1a',
      amountCents: 96_000_000,
      conventionDate: '2020-02-10',
      decisionRef: null,
    });
    await command(api, '/grants/g-hist/amendments', ETAT, { amountCents: 90_000_000, amendedOn: '2021-03-01', reason: 'Avenant n°1' });
    const res = await api.get('/grants/g-hist/history', ETAT);
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe('"2"');
    expect((res.body as { entries: Entry[] }).entries).toMatchObject([
      { position: 1, type: 'funding.GrantDecided.v1', businessDate: '2020-02-10', actor: { organisation: ETAT } },
      {
        position: 2,
        type: 'funding.GrantAmended.v1',
        businessDate: '2021-03-01',
        summary: 'Subvention modifiée le 01/03/2021 : 960 000,00 € → 900 000,00 €',
        changes: [{ field: 'amountCents', before: 96_000_000, after: 90_000_000 }],
        reason: 'Avenant n°1',
      },
    ]);
  });

  it('shows an insertion declaration corrected', async () => {
    const persons = (deld: number, rsa: number) => ({ deld, rsa, jeunes: 0, rqth: 0, autres: 0 });
    await command(api, '/insertion/declarations', SIA, {
      declarationId: 'ins-hist',
      operationId: OP,
      epciCode: 'CALL',
      marcheRef: 'SIA-2020-LOT3',
      periodStart: '2021-01-01',
      periodEnd: '2021-06-30',
      hours: 1200,
      participants: persons(3, 2),
      recruitments: persons(1, 1),
    });
    await command(api, '/insertion/declarations/ins-hist/corrections', SIA, { hours: 1250, participants: persons(3, 2), recruitments: persons(1, 1), reason: 'Heures de juin ajoutées' });
    const res = await api.get('/insertion/declarations/ins-hist/history', SIA);
    expect(res.status).toBe(200);
    expect((res.body as { entries: Entry[] }).entries[1]).toMatchObject({ reason: 'Heures de juin ajoutées', changes: [{ field: 'hours', before: 1200, after: 1250 }] });
  });

  it('answers 404 for an unknown aggregate or one out of the caller’s scope, 400 for a malformed id', async () => {
    expectProblem(await api.get('/operations/op-nope/history', SIA), 404, 'OPERATION.NOT_FOUND');
    expectProblem(await api.get('/grants/g-nope/history', ETAT), 404, 'GRANT.NOT_FOUND');
    expectProblem(await api.get('/insertion/declarations/ins-nope/history', SIA), 404, 'INSERTION.NOT_FOUND');
    expectProblem(await api.get(`/operations/${OP}/history`, MAISONS), 404, 'OPERATION.NOT_FOUND');
    expectProblem(await api.get('/operations/BAD_ID/history', SIA), 400, 'REQUEST.INVALID');
  });
});
