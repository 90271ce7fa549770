import { type TestApi as TestApiType, TestApi, expectProblem, expectStatus } from './support/api';
import { DELEGATION, ETAT, SIA, command, energy, logementsOperationInTravaux, registerReferenceData } from './support/scenario';

/**
 * One input contract for every endpoint (issue 11, item 3; ADR 0017), checked by walking the served OpenAPI
 * document: every operation, reads included, refuses an unknown query parameter and an unknown body field with 400
 * problem+json naming it, and a body that is not JSON with 415 — and nothing is appended.
 */

interface Parameter {
  name: string;
  in: 'query' | 'path' | 'header';
  required?: boolean;
  example?: unknown;
  schema?: { example?: unknown };
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, unknown> };
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
}
interface Problem {
  status: number;
  code: string;
  violations?: { field: string; rule: string; message: string }[];
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const UNKNOWN = 'zzUnknown';

const exampleOf = (p: Parameter): unknown => p.example ?? p.schema?.example;

/** The path with each `{param}` replaced by its documented example. */
const concretePath = (path: string, op: Operation): string =>
  path.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(String(exampleOf(op.parameters?.find((p) => p.in === 'path' && p.name === name) ?? { name, in: 'path' }) ?? 'x')));

/** The required query parameters, filled from their examples (so that only the unknown one is wrong). */
const requiredQuery = (op: Operation): Record<string, string> =>
  Object.fromEntries((op.parameters ?? []).filter((p) => p.in === 'query' && p.required).map((p) => [p.name, String(exampleOf(p))]));

describe('One input contract for every endpoint (walking GET /docs/openapi.json)', () => {
  let api: TestApiType;
  let doc: Document;
  let operations: { method: (typeof METHODS)[number]; path: string; op: Operation }[];

  beforeAll(async () => {
    api = await TestApi.start('input_contract');
    await registerReferenceData(api);
    // The documented examples name these: the operation, its delivery, and a délégation client.
    await logementsOperationInTravaux(api, 'op-darcy-t1', 120, SIA);
    await command(api, '/operations/op-darcy-t1/deliveries', SIA, { deliveryId: 'livraison-2021-01', deliveredOn: '2021-01-20', logements: 60, energyBefore: energy(300, 'E'), energyAfter: energy(100, 'B') });
    const res = await api.get('/docs/openapi.json', null);
    expectStatus(res, 200);
    doc = res.body as Document;
    operations = Object.entries(doc.paths).flatMap(([path, item]) => METHODS.filter((m) => item[m]).map((method) => ({ method, path, op: item[method] })));
  });
  afterAll(() => api.close());

  /** Sends one request per operation as the délégation, built by `send`, and lists the answers that break `expected`. */
  async function walk(
    build: (agent: ReturnType<TestApiType['raw']>, method: (typeof METHODS)[number], url: string, op: Operation) => Promise<{ status: number; headers: Record<string, string>; body: unknown }> | null,
    expected: (problem: Problem, op: Operation) => string | null,
  ): Promise<{ failures: string[]; walked: number }> {
    const failures: string[] = [];
    let walked = 0;
    for (const { method, path, op } of operations) {
      const request = build(api.raw(DELEGATION), method, concretePath(path, op), op);
      if (!request) continue;
      walked += 1;
      const res = await request;
      const type = String(res.headers['content-type']);
      if (!type.startsWith('application/problem+json')) {
        failures.push(`${method.toUpperCase()} ${path}: ${res.status} ${type} is not problem+json`);
        continue;
      }
      const wrong = expected(res.body as Problem, op);
      if (wrong) failures.push(`${method.toUpperCase()} ${path}: ${wrong} (got ${res.status} ${JSON.stringify(res.body)})`);
    }
    return { failures, walked };
  }

  const names = (p: Problem, field: string): boolean => (p.violations ?? []).some((v) => v.field === field);

  it('refuses an unknown query parameter on every operation with 400 REQUEST.INVALID naming it, and appends nothing', async () => {
    const before = await api.eventCount();
    const { failures, walked } = await walk(
      (agent, method, url, op) => {
        const req = agent[method](url).query({ ...requiredQuery(op), [UNKNOWN]: '1' });
        return op.requestBody?.content['application/json'] ? req.send({}) : req;
      },
      (p) => (p.status === 400 && p.code === 'REQUEST.INVALID' && names(p, UNKNOWN) ? null : `expected 400 REQUEST.INVALID naming ${UNKNOWN}`),
    );
    expect(walked).toBe(operations.length);
    expect(walked).toBeGreaterThan(40);
    expect(failures).toEqual([]);
    expect(await api.eventCount()).toBe(before);
  });

  it('refuses an unknown body field on every operation, those without a body included, with 400 REQUEST.INVALID naming it, and appends nothing', async () => {
    const before = await api.eventCount();
    const { failures, walked } = await walk(
      (agent, method, url, op) => {
        // An import takes a file, not JSON: its media type is checked below.
        if (op.requestBody && !op.requestBody.content['application/json']) return null;
        return agent[method](url).query(requiredQuery(op)).set('Content-Type', 'application/json').send(JSON.stringify({ [UNKNOWN]: 1 }));
      },
      (p) => (p.status === 400 && p.code === 'REQUEST.INVALID' && names(p, UNKNOWN) ? null : `expected 400 REQUEST.INVALID naming ${UNKNOWN}`),
    );
    expect(walked).toBeGreaterThan(40);
    expect(failures).toEqual([]);
    expect(await api.eventCount()).toBe(before);
  });

  it('refuses a body that is not of its media type on every operation with 415 REQUEST.UNSUPPORTED_MEDIA_TYPE, and appends nothing', async () => {
    const before = await api.eventCount();
    const { failures, walked } = await walk(
      (agent, method, url, op) => agent[method](url).query(requiredQuery(op)).set('Content-Type', 'text/plain').send(`${UNKNOWN}=1`),
      (p) => (p.status === 415 && p.code === 'REQUEST.UNSUPPORTED_MEDIA_TYPE' ? null : 'expected 415 REQUEST.UNSUPPORTED_MEDIA_TYPE'),
    );
    expect(walked).toBe(operations.length);
    expect(failures).toEqual([]);
    expect(await api.eventCount()).toBe(before);
  });

  it('still accepts the documented query parameters of the reads, and a command without query or extra field', async () => {
    expectStatus(await api.get('/progress/logements?asOf=2022-12-31&knownAt=2023-01-16T00:00:00Z&by=bailleur', DELEGATION), 200);
    expectStatus(await api.get('/subsidies?asOf=2100-12-31&groupBy=financer', DELEGATION), 200);
    expectStatus(await api.raw(DELEGATION).post('/auth/clients/sia-connector/keys').send(), 404);
  });

  it('refuses the requests of the issue: a delivery with ?isAdmin=1, a body sent to POST /auth/clients/{id}/keys', async () => {
    const before = await api.storeCount();
    const delivery = { deliveryId: 'livraison-2021-02', deliveredOn: '2021-02-20', logements: 1, energyBefore: energy(300, 'E'), energyAfter: energy(100, 'B') };
    const res = await api.post('/operations/op-darcy-t1/deliveries?isAdmin=1', SIA, delivery);
    expectProblem(res, 400, 'REQUEST.INVALID');
    expect(res.body.violations).toEqual([expect.objectContaining({ field: 'isAdmin' })]);
    const key = await api.raw(DELEGATION).post('/auth/clients/sia-connector/keys').send({ admin: true });
    expectProblem(key, 400, 'REQUEST.INVALID');
    expect(key.body.violations).toEqual([expect.objectContaining({ field: 'admin' })]);
    expect(await api.storeCount()).toBe(before);
  });
});

describe('Business dates inside the programme window over HTTP (issue 11, item 4)', () => {
  let api: TestApiType;

  beforeAll(async () => {
    api = await TestApi.start('date_window');
    // The programme signed on 2017-03-07 with its target on 2027-12-31: the window is 2015-03-07 to 2032-12-31.
    await registerReferenceData(api);
    await logementsOperationInTravaux(api, 'op-window', 120, SIA);
  });
  afterAll(() => api.close());

  it.each([
    ['a delivery dated 1901-01-01', '/operations/op-window/deliveries', SIA, { deliveryId: 'l1', deliveredOn: '1901-01-01', logements: 1, energyBefore: energy(300, 'E'), energyAfter: energy(100, 'B') }, 'deliveredOn'],
    [
      'a grant convention dated 2100-12-31',
      '/grants',
      ETAT,
      { grantId: 'g-window', financerCode: 'ETAT', operationId: 'op-window', beneficiary: { kind: 'bailleur', code: 'SIA_HABITAT', name: 'SIA Habitat' }, dispositif: 'aides-a-la-pierre', axisCode: '1a', amountCents: 100, conventionDate: '2100-12-31', decisionRef: null },
      'conventionDate',
    ],
    [
      'an insertion period in 2099',
      '/insertion/declarations',
      SIA,
      { declarationId: 'ins-window', operationId: 'op-window', epciCode: 'CALL', marcheRef: 'M-1', periodStart: '2099-01-01', periodEnd: '2099-06-30', hours: 10, participants: { deld: 1, rsa: 0, jeunes: 0, rqth: 0, autres: 0 }, recruitments: { deld: 0, rsa: 0, jeunes: 0, rqth: 0, autres: 0 } },
      'periodStart',
    ],
  ])('refuses %s with 422 PROGRAMME.DATE_OUTSIDE_WINDOW naming the field and the window, and appends nothing', async (_what, path, organisation, body, field) => {
    const before = await api.eventCount();
    const res = await api.post(path, organisation, body);
    expectProblem(res, 422, 'PROGRAMME.DATE_OUTSIDE_WINDOW');
    expect(res.body.detail).toContain('2015-03-07 to 2032-12-31');
    expect(res.body.violations).toEqual([expect.objectContaining({ field, rule: 'PROGRAMME.DATE_OUTSIDE_WINDOW' })]);
    expect(await api.eventCount()).toBe(before);
  });

  it('records a date on the last day of the window, and reads as of it', async () => {
    await command(api, '/operations/op-window/deliveries', SIA, { deliveryId: 'l2', deliveredOn: '2032-12-31', logements: 3, energyBefore: energy(300, 'E'), energyAfter: energy(100, 'B') });
    await api.project();
    const res = await api.get('/progress/logements?asOf=2032-12-31', DELEGATION);
    expectStatus(res, 200);
    expect(res.body.delivered).toBe(3);
  });
});
