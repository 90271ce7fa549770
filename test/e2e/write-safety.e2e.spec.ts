import { TestApi, expectProblem, expectStatus } from './support/api';
import { DELEGATION, MAISONS, SIA, energy, logementsOperationInTravaux, registerReferenceData } from './support/scenario';

/** Idempotency keys, optimistic concurrency (ETag / If-Match) and the owner checks of the command executor. */
let api: TestApi;
const OP = 'op-safety';

const delivery = (deliveryId: string, logements = 10) => ({
  deliveryId,
  deliveredOn: '2021-01-20',
  logements,
  energyBefore: energy(345, 'F'),
  energyAfter: energy(104, 'B'),
});

beforeAll(async () => {
  api = await TestApi.start('write_safety');
  await registerReferenceData(api);
  await logementsOperationInTravaux(api, OP, 120);
});
afterAll(() => api.close());

describe('idempotency', () => {
  it('applies a retried request once: 201 then 200 with the same events, nothing appended the second time', async () => {
    const headers = { 'Idempotency-Key': 'sia-livraison-idem-1' };
    const first = await api.post(`/operations/${OP}/deliveries`, SIA, delivery('liv-idem'), headers);
    expectStatus(first, 201);
    expect(first.body).toMatchObject({ commandId: 'sia-livraison-idem-1', streamId: `operation-${OP}`, duplicate: false, events: [{ type: 'operation.LogementsDelivered.v1' }] });
    const count = await api.eventCount();

    const retry = await api.post(`/operations/${OP}/deliveries`, SIA, delivery('liv-idem'), headers);
    expectStatus(retry, 200);
    expect(retry.body).toEqual({ ...first.body, duplicate: true });
    expect(retry.headers.etag).toBe(first.headers.etag);
    expect(await api.eventCount()).toBe(count);
  });

  it('without a key, the same request is a second command (refused here: the delivery exists)', async () => {
    expectStatus(await api.post(`/operations/${OP}/deliveries`, SIA, delivery('liv-no-key')), 201);
    const count = await api.eventCount();
    expectProblem(await api.post(`/operations/${OP}/deliveries`, SIA, delivery('liv-no-key')), 409, 'OPERATION.DELIVERY_ALREADY_RECORDED');
    expect(await api.eventCount()).toBe(count);
  });

  it('refuses a malformed Idempotency-Key', async () => {
    const res = await api.post(`/operations/${OP}/deliveries`, SIA, delivery('liv-bad-key'), { 'Idempotency-Key': 'no spaces allowed' });
    expectProblem(res, 400, 'REQUEST.INVALID');
    expect(res.body).toMatchObject({ violations: [{ field: 'header:Idempotency-Key' }] });
  });
});

describe('optimistic concurrency', () => {
  it('accepts If-Match of the current ETag, then refuses the same (now stale) ETag with 412', async () => {
    const read = await api.get(`/operations/${OP}`);
    expectStatus(read, 200);
    const etag = read.headers.etag;
    expect(etag).toMatch(/^"\d+"$/);

    const ok = await api.post(`/operations/${OP}/deliveries`, SIA, delivery('liv-etag-1'), { 'If-Match': etag });
    expectStatus(ok, 201);
    expect(ok.headers.etag).toBe(`"${Number(JSON.parse(etag)) + 1}"`);
    const count = await api.eventCount();

    const stale = await api.post(`/operations/${OP}/deliveries`, SIA, delivery('liv-etag-2'), { 'If-Match': etag });
    expectProblem(stale, 412, 'COMMAND.STALE_VERSION');
    expect(await api.eventCount()).toBe(count);
    expect((await api.get(`/operations/${OP}`)).headers.etag).toBe(ok.headers.etag);
  });

  it('lets exactly one of two concurrent writes with the same If-Match win; the other gets 412 and appends nothing', async () => {
    const read = await api.get(`/operations/${OP}`, SIA);
    const etag = read.headers.etag as string;
    const before = await api.eventCount();
    const [a, b] = await Promise.all([
      api.post(`/operations/${OP}/deliveries`, SIA, delivery('liv-race-a', 1), { 'If-Match': etag }),
      api.post(`/operations/${OP}/deliveries`, SIA, delivery('liv-race-b', 1), { 'If-Match': etag }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 412]);
    expectProblem([a, b].find((r) => r.status === 412)!, 412, 'COMMAND.STALE_VERSION');
    expect(await api.eventCount()).toBe(before + 1);
  });

  it('refuses a malformed If-Match', async () => {
    const res = await api.post(`/operations/${OP}/deliveries`, SIA, delivery('liv-etag-3'), { 'If-Match': 'W/"abc"' });
    expectProblem(res, 400, 'REQUEST.INVALID');
    expect(res.body).toMatchObject({ violations: [{ field: 'header:If-Match' }] });
  });

  it('answers 404 with a problem for a stream never written', async () => {
    expectProblem(await api.get('/operations/op-unknown'), 404, 'OPERATION.NOT_FOUND');
    expectProblem(await api.get('/grants/g-unknown'), 404, 'GRANT.NOT_FOUND');
    expectProblem(await api.get('/insertion/declarations/ins-unknown'), 404, 'INSERTION.NOT_FOUND');
  });
});

describe('permissions (owner checks of the command executor)', () => {
  it("refuses a bailleur's delivery on another bailleur's operation: 403 AUTH.NOT_OWNER, nothing appended", async () => {
    const count = await api.eventCount();
    const res = await api.post(`/operations/${OP}/deliveries`, MAISONS, delivery('liv-intrus'));
    expectProblem(res, 403, 'AUTH.NOT_OWNER');
    expect(res.body).toMatchObject({ detail: expect.stringContaining('bailleur:SIA_HABITAT') });
    expect(await api.eventCount()).toBe(count);
  });

  it('refuses reference data from anyone but the délégation', async () => {
    const count = await api.eventCount();
    expectProblem(await api.post('/epci', SIA, { epciCode: 'CAHC', name: "Communauté d'agglomération Hénin-Carvin", communes: 14 }), 403, 'AUTH.FORBIDDEN');
    expectProblem(await api.post('/bailleurs', 'financer:ETAT', { bailleurCode: 'PAS_DE_CALAIS_HABITAT', name: 'Pas-de-Calais Habitat' }), 403, 'AUTH.FORBIDDEN');
    expect(await api.eventCount()).toBe(count);
  });

  it("refuses a grant decided in another financer's name", async () => {
    const res = await api.post('/grants', 'financer:REGION_HDF', {
      grantId: 'g-usurpe',
      financerCode: 'ETAT',
      operationId: OP,
      beneficiary: { kind: 'bailleur', code: 'SIA_HABITAT', name: 'SIA Habitat' },
      dispositif: 'aides-a-la-pierre',
      axisCode: '1a',
      amountCents: 1_000_000,
      conventionDate: '2020-02-10',
    });
    expectProblem(res, 403, 'AUTH.NOT_OWNER');
  });

  it('requires authentication (401 with WWW-Authenticate); a declared X-Acting-Organisation is not a credential', async () => {
    const count = await api.eventCount();
    const res = await api.post(`/operations/${OP}/deliveries`, null, delivery('liv-anon'));
    expectProblem(res, 401, 'AUTH.UNAUTHENTICATED');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="erbm"/);
    expectProblem(await api.post(`/operations/${OP}/deliveries`, null, delivery('liv-anon'), { 'X-Acting-Organisation': 'bailleur:SIA_HABITAT' }), 401, 'AUTH.UNAUTHENTICATED');
    expect(await api.eventCount()).toBe(count);
  });

  it('lets the délégation write on any operation', async () => {
    expectStatus(await api.post(`/operations/${OP}/deliveries`, DELEGATION, delivery('liv-delegation', 5)), 201);
  });
});
