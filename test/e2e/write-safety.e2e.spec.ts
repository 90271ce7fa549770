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

  it('scopes keys to the organisation: the same Idempotency-Key from two bailleurs is two commands (ADR 0018)', async () => {
    await logementsOperationInTravaux(api, 'op-safety-mc', 50, MAISONS);
    const headers = { 'Idempotency-Key': 'livraison-2021-01-1' };
    const before = await api.eventCount();
    const sia = await api.post(`/operations/${OP}/deliveries`, SIA, delivery('liv-shared-key', 1), headers);
    const mc = await api.post('/operations/op-safety-mc/deliveries', MAISONS, delivery('liv-shared-key', 1), headers);
    expectStatus(sia, 201);
    expectStatus(mc, 201);
    expect((mc.body as { events: { eventId: string }[] }).events[0].eventId).not.toBe((sia.body as { events: { eventId: string }[] }).events[0].eventId);
    expect(await api.eventCount()).toBe(before + 2);
    expectStatus(await api.post('/operations/op-safety-mc/deliveries', MAISONS, delivery('liv-shared-key', 1), headers), 200);
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

  it('lets 8 concurrent writers of one operation without If-Match all succeed (server-side retries with jittered back-off)', async () => {
    const before = await api.eventCount();
    const writers = Array.from({ length: 8 }, (_, i) => api.post(`/operations/${OP}/deliveries`, SIA, delivery(`liv-crowd-${i}`, 1), { 'Idempotency-Key': `sia-crowd-${i}` }));
    const answers = await Promise.all(writers);
    expect(answers.map((r) => r.status)).toEqual(Array(8).fill(201));
    expect(await api.eventCount()).toBe(before + 8);
    const versions = answers.map((r) => (r.body as { version: number }).version).sort((a, b) => a - b);
    expect(new Set(versions).size).toBe(8);
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
  it("answers a bailleur's delivery on another bailleur's operation as on an unknown operation: 404, nothing appended", async () => {
    const count = await api.eventCount();
    const res = await api.post(`/operations/${OP}/deliveries`, MAISONS, delivery('liv-intrus'));
    expectProblem(res, 404, 'OPERATION.NOT_FOUND');
    expect(JSON.stringify(res.body)).not.toMatch(/SIA_HABITAT|bailleur:/);
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
    expect((res.body as { detail: string }).detail).not.toContain('ETAT');
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

describe('out of scope is not found, on writes too (ADR 0018)', () => {
  const UNKNOWN = 'op-never-programmed';
  /** The body with the aggregate's id and the request path replaced, so that two answers compare byte for byte. */
  const normalised = (body: unknown, id: string): string => JSON.stringify(body).split(id).join('{id}');

  /** The same command on an operation outside the caller's scope and on one that does not exist: same answer. */
  async function sameAnswer(path: (id: string) => string, organisation: string, body: object, headers: Record<string, string> = {}): Promise<void> {
    const before = await api.storeCount();
    const outOfScope = await api.post(path(OP), organisation, body, headers);
    const unknown = await api.post(path(UNKNOWN), organisation, body, headers);
    expectProblem(outOfScope, 404, 'OPERATION.NOT_FOUND');
    expect(outOfScope.headers['content-type']).toBe(unknown.headers['content-type']);
    expect(normalised(outOfScope.body, OP)).toBe(normalised(unknown.body, UNKNOWN));
    expect(JSON.stringify(outOfScope.body)).not.toMatch(/SIA_HABITAT|bailleur:|epci:|financer:/);
    expect(await api.storeCount()).toBe(before);
  }

  it('a delivery, a phase, a suspension, with or without If-Match, as another bailleur', async () => {
    await sameAnswer((id) => `/operations/${id}/deliveries`, MAISONS, delivery('liv-scope'));
    await sameAnswer((id) => `/operations/${id}/deliveries`, MAISONS, delivery('liv-scope'), { 'If-Match': '"5"', 'Idempotency-Key': 'mc-scope-1' });
    await sameAnswer((id) => `/operations/${id}/phases`, MAISONS, { phase: 'livraisons', startedOn: '2021-03-01' });
    await sameAnswer((id) => `/operations/${id}/suspensions`, MAISONS, { suspendedOn: '2021-03-01', reason: 'Intempéries' });
  });

  it("an insertion declaration on another bailleur's operation answers as on an unknown operation", async () => {
    const declaration = (operationId: string) => ({
      declarationId: `ins-scope-${operationId}`,
      operationId,
      epciCode: 'CALL',
      marcheRef: 'M-1',
      periodStart: '2021-01-01',
      periodEnd: '2021-06-30',
      hours: 100,
      participants: { deld: 1, rsa: 0, jeunes: 0, rqth: 0, autres: 0 },
      recruitments: { deld: 0, rsa: 0, jeunes: 0, rqth: 0, autres: 0 },
    });
    const before = await api.storeCount();
    const outOfScope = await api.post('/insertion/declarations', MAISONS, declaration(OP));
    const unknown = await api.post('/insertion/declarations', MAISONS, declaration(UNKNOWN));
    expectProblem(outOfScope, 404, 'OPERATION.NOT_FOUND');
    expect(normalised(outOfScope.body, OP)).toBe(normalised(unknown.body, UNKNOWN));
    expect(await api.storeCount()).toBe(before);
  });

  it('an unknown operation answers 404 before any version check (If-Match on a stream never written)', async () => {
    const res = await api.post(`/operations/${UNKNOWN}/deliveries`, DELEGATION, delivery('liv-unknown'), { 'If-Match': '"5"' });
    expectProblem(res, 404, 'OPERATION.NOT_FOUND');
  });

  it('a retry of a recorded command by another organisation is not a replay of it', async () => {
    const key = { 'Idempotency-Key': 'scope-replay-1' };
    expectStatus(await api.post(`/operations/${OP}/deliveries`, SIA, delivery('liv-scope-replay', 1), key), 201);
    const res = await api.post(`/operations/${OP}/deliveries`, MAISONS, delivery('liv-scope-replay', 1), key);
    expectProblem(res, 404, 'OPERATION.NOT_FOUND');
  });
});
