import { type Server, createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type CryptoKey, type JWK, SignJWT, exportJWK, generateKeyPair } from 'jose';
import { TestApi, expectProblem, expectStatus } from './support/api';
import { CALL, CITE, DELEGATION, ETAT, MAISONS, SIA, command, energy, logementsOperationInTravaux, registerReferenceData } from './support/scenario';

/**
 * Authentication and authorization per role (issue #3), on real PostgreSQL and Redis: each allowed action works,
 * each forbidden one gets 401/403/404 and leaves the event store unchanged (SELECT count(*) FROM es_events).
 * Bearer tokens are checked against a JWKS served here on 127.0.0.1 with jose-generated keys.
 */
const ISSUER = 'https://idp.erbm.test';
const AUDIENCE = 'erbm-api';
const COPIL = 'copil';
const REGION = 'financer:REGION_HDF';
const CAHC = 'epci:CAHC';
const OP_SIA = 'op-auth-sia';
const OP_MC = 'op-auth-mc';

const delivery = (deliveryId: string, logements = 5) => ({ deliveryId, deliveredOn: '2021-01-20', logements, energyBefore: energy(345, 'F'), energyAfter: energy(104, 'B') });
const grant = (grantId: string, financerCode: string, operationId: string) => ({
  grantId,
  financerCode,
  operationId,
  beneficiary: { kind: 'bailleur', code: 'SIA_HABITAT', name: 'SIA Habitat' },
  dispositif: 'aides-a-la-pierre',
  axisCode: '1a',
  amountCents: 1_000_000,
  conventionDate: '2020-02-10',
});

let api: TestApi;
let jwks: Server;
let signingKey: CryptoKey;
let otherKey: CryptoKey;

async function token(claims: Record<string, unknown>, opts: { audience?: string; expiresIn?: string | number; key?: CryptoKey; issuer?: string } = {}): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
    .setIssuer(opts.issuer ?? ISSUER)
    .setAudience(opts.audience ?? AUDIENCE)
    .setSubject('user-123')
    .setIssuedAt()
    .setExpirationTime(opts.expiresIn ?? '5m')
    .sign(opts.key ?? signingKey);
}

/** Runs `fn` and asserts that the event store holds exactly as many events afterwards. */
async function appendsNothing(fn: () => Promise<void>): Promise<void> {
  const before = await api.storeCount();
  await fn();
  expect(await api.storeCount()).toBe(before);
}

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  signingKey = pair.privateKey;
  otherKey = (await generateKeyPair('RS256')).privateKey;
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  jwks = createServer((_req, res) => {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  api = await TestApi.start('authorization', { oidc: { issuer: ISSUER, audience: AUDIENCE, jwksUri: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json` } });

  await registerReferenceData(api);
  await command(api, '/epci', DELEGATION, { epciCode: 'CAHC', name: "Communauté d'agglomération d'Hénin-Carvin", communes: 14 });
  await command(api, '/cites', DELEGATION, { citeId: 'cite-darcy', name: 'Cité Darcy', communes: ['Hénin-Beaumont'], epciCode: 'CAHC', bailleurCode: 'MAISONS_ET_CITES', logements: 383, unesco: false, priority: true });
  await logementsOperationInTravaux(api, OP_SIA, 120, SIA);
  await command(api, '/operations/logements', MAISONS, {
    operationId: OP_MC, citeId: 'cite-darcy', bailleurCode: 'MAISONS_ET_CITES', title: 'Darcy T1', plannedLogements: 50, financing: 'erbm', axisCode: '1a',
    lots: [{ lotType: 'PALULOS', logements: 50 }], programmedOn: '2019-01-15', plannedDates: {},
  });
  for (const [phase, startedOn] of [['etudes', '2019-03-04'], ['avp', '2019-09-02'], ['autorisation', '2020-01-15'], ['travaux', '2020-06-02']]) {
    await command(api, `/operations/${OP_MC}/phases`, MAISONS, { phase, startedOn });
  }
  await command(api, `/operations/${OP_MC}/deliveries`, MAISONS, delivery('mc-1', 7));
  await command(api, '/grants', ETAT, grant('g-auth-etat', 'ETAT', OP_SIA));
  await command(api, '/grants', REGION, grant('g-auth-region', 'REGION_HDF', OP_SIA));
  await command(api, '/grants', DELEGATION, grant('g-auth-mc', 'REGION_HDF', OP_MC));
  await api.project();
  // Keys of every organisation used below, issued up front so that counting events is about the requests only.
  for (const org of [SIA, MAISONS, ETAT, REGION, CALL, CAHC, COPIL]) await api.keyFor(org);
});

afterAll(async () => {
  await api.close();
  await new Promise((resolve) => jwks.close(resolve));
});

describe('authentication', () => {
  it('refuses a request without credentials: 401 AUTH.UNAUTHENTICATED with WWW-Authenticate, nothing appended', () =>
    appendsNothing(async () => {
      const res = await api.post(`/operations/${OP_SIA}/deliveries`, null, delivery('anon'));
      expectProblem(res, 401, 'AUTH.UNAUTHENTICATED');
      expect(res.headers['www-authenticate']).toBe('Bearer realm="erbm"');
      expectProblem(await api.get('/progress/logements', null), 401, 'AUTH.UNAUTHENTICATED');
      expectProblem(await api.get(`/operations/${OP_SIA}`, null), 401, 'AUTH.UNAUTHENTICATED');
    }));

  it('keeps /health and the OpenAPI document public', async () => {
    expectStatus(await api.get('/health', null), 200);
    expectStatus(await api.get('/docs/openapi.json', null), 200);
  });

  it('refuses unknown, malformed or tampered keys', () =>
    appendsNothing(async () => {
      const key = await api.keyFor(SIA);
      const tampered = key.slice(0, -4) + (key.endsWith('AAAA') ? 'BBBB' : 'AAAA');
      for (const bad of [tampered, 'erbm_0000000000000000_' + 'x'.repeat(43), 'not-a-key', 'erbm_']) {
        expectProblem(await api.post(`/operations/${OP_SIA}/deliveries`, null, delivery('bad-key'), { Authorization: `Bearer ${bad}` }), 401, 'AUTH.UNAUTHENTICATED');
      }
      expectProblem(await api.get('/progress/logements', null).set('Authorization', 'Basic dXNlcjpwYXNz'), 401, 'AUTH.UNAUTHENTICATED');
    }));

  it('accepts the key in X-API-Key too, and records the client in the events', async () => {
    const key = await api.keyFor(SIA);
    const res = await api.post(`/operations/${OP_SIA}/deliveries`, null, delivery('sia-xapikey'), { 'X-API-Key': key });
    expectStatus(res, 201);
    const stream = await api.get(`/operations/${OP_SIA}`, SIA);
    const last = (stream.body as { events: { metadata: { actor: Record<string, unknown> } }[] }).events.at(-1);
    expect(last?.metadata.actor).toMatchObject({ organisation: SIA, channel: 'api', clientId: expect.any(String), user: 'e2e@erbm.test' });
  });

  it('revokes a key at once (401 AUTH.KEY_REVOKED) and rotates: the new key works, the old one no longer does', async () => {
    const client = await api.post('/auth/clients', DELEGATION, { organisation: SIA, name: 'SIA rotation', clientId: 'sia-rotation' });
    expectStatus(client, 201);
    const first = await api.post('/auth/clients/sia-rotation/keys', DELEGATION, {});
    expectStatus(first, 201);
    const oldKey = (first.body as { key: string; keyId: string }).key;
    expect(oldKey).toMatch(/^erbm_[a-z0-9]+_[A-Za-z0-9_-]+$/);
    expectStatus(await api.get(`/operations/${OP_SIA}`, null).set('Authorization', `Bearer ${oldKey}`), 200);

    const idem = { 'Idempotency-Key': 'sia-rotation-key-2' };
    const second = await api.post('/auth/clients/sia-rotation/keys', DELEGATION, {}, idem);
    const newKey = (second.body as { key: string }).key;
    // A retried issuance never issues a second key nor shows the first one again.
    const storeBefore = await api.storeCount();
    expectProblem(await api.post('/auth/clients/sia-rotation/keys', DELEGATION, {}, idem), 409, 'COMMAND.ID_REUSED');
    expect(await api.storeCount()).toBe(storeBefore);
    const revoked = await api.raw(DELEGATION).delete(`/auth/keys/${(first.body as { keyId: string }).keyId}`);
    expectStatus(revoked, 200);
    await appendsNothing(async () => {
      const res = await api.post(`/operations/${OP_SIA}/deliveries`, null, delivery('sia-revoked'), { Authorization: `Bearer ${oldKey}` });
      expectProblem(res, 401, 'AUTH.KEY_REVOKED');
      expect(res.headers['www-authenticate']).toMatch(/error="invalid_token"/);
    });
    expectStatus(await api.post(`/operations/${OP_SIA}/deliveries`, null, delivery('sia-rotated'), { Authorization: `Bearer ${newKey}` }), 201);
    expectProblem(await api.raw(DELEGATION).delete(`/auth/keys/${(first.body as { keyId: string }).keyId}`), 409, 'KEY.ALREADY_REVOKED');

    await api.refreshIdentity(); // the listing's own catch-up may not see the newest events yet (docs/testing.md)
    const list = await api.get('/auth/clients', DELEGATION);
    expectStatus(list, 200);
    const rotation = (list.body as { clientId: string; keys: { keyId: string; revokedAt: string | null; lastUsedAt: string | null }[] }[]).find((c) => c.clientId === 'sia-rotation');
    expect(rotation?.keys).toEqual([
      expect.objectContaining({ keyId: (first.body as { keyId: string }).keyId, revokedAt: expect.any(String), lastUsedAt: expect.any(String) }),
      expect.objectContaining({ revokedAt: null, lastUsedAt: expect.any(String) }),
    ]);
    expect(JSON.stringify(list.body)).not.toMatch(/\$2[aby]\$|erbm_/);
  });
});

describe('OIDC bearer tokens', () => {
  it('accepts a valid token of the issuer: organisation from erbm_org, user from email', async () => {
    const jwt = await token({ erbm_org: SIA, email: 'jeanne@sia-habitat.test', azp: 'sia-portal' });
    const res = await api.post(`/operations/${OP_SIA}/deliveries`, null, delivery('sia-jwt'), { Authorization: `Bearer ${jwt}` });
    expectStatus(res, 201);
    const stream = await api.get(`/operations/${OP_SIA}`, SIA);
    expect((stream.body as { events: { metadata: { actor: unknown } }[] }).events.at(-1)?.metadata.actor).toEqual({
      organisation: SIA, user: 'jeanne@sia-habitat.test', channel: 'api', clientId: 'oidc:sia-portal',
    });
  });

  it('refuses bad, expired, wrong-audience, foreign-signed tokens and tokens without an organisation: 401 AUTH.TOKEN_INVALID', () =>
    appendsNothing(async () => {
      const bad = [
        'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl',
        await token({ erbm_org: SIA }, { expiresIn: Math.floor(Date.now() / 1000) - 3600 }),
        await token({ erbm_org: SIA }, { audience: 'another-api' }),
        await token({ erbm_org: SIA }, { issuer: 'https://evil.test' }),
        await token({ erbm_org: SIA }, { key: otherKey }),
        await token({ erbm_org: 'root' }),
        await token({}),
      ];
      for (const jwt of bad) {
        const res = await api.post(`/operations/${OP_SIA}/deliveries`, null, delivery('sia-bad-jwt'), { Authorization: `Bearer ${jwt}` });
        expectProblem(res, 401, 'AUTH.TOKEN_INVALID');
        expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="erbm", error="invalid_token"/);
      }
    }));
});

describe('bailleur', () => {
  it('writes deliveries on the operations it carries and reads them', async () => {
    expectStatus(await api.post(`/operations/${OP_SIA}/deliveries`, SIA, delivery('sia-own')), 201);
    expectStatus(await api.get(`/operations/${OP_SIA}`, SIA), 200);
    expectStatus(await api.get('/grants/g-auth-etat', SIA), 200);
  });

  it("answers a delivery on another bailleur's operation as on an unknown one (404) and refuses reference data (403 AUTH.FORBIDDEN)", () =>
    appendsNothing(async () => {
      expectProblem(await api.post(`/operations/${OP_MC}/deliveries`, SIA, delivery('sia-intrus')), 404, 'OPERATION.NOT_FOUND');
      expectProblem(await api.post('/bailleurs', SIA, { bailleurCode: 'PAS_DE_CALAIS_HABITAT', name: 'Pas-de-Calais Habitat' }), 403, 'AUTH.FORBIDDEN');
      expectProblem(await api.post('/grants', SIA, grant('g-sia', 'ETAT', OP_SIA)), 403, 'AUTH.FORBIDDEN');
      expectProblem(await api.post('/auth/clients', SIA, { organisation: SIA, name: 'x' }), 403, 'AUTH.FORBIDDEN');
    }));

  it("does not see another bailleur's operation, grant or figures: 404, not 403", async () => {
    expectProblem(await api.get(`/operations/${OP_MC}`, SIA), 404, 'OPERATION.NOT_FOUND');
    expectProblem(await api.get('/grants/g-auth-mc', SIA), 404, 'GRANT.NOT_FOUND');
    expectProblem(await api.get(`/operations/${OP_SIA}`, MAISONS), 404, 'OPERATION.NOT_FOUND');
    await api.project();
    const progress = await api.get('/progress/logements?asOf=2022-12-31&by=bailleur', MAISONS);
    expectStatus(progress, 200);
    expect((progress.body as { groups: { key: string }[] }).groups.map((g) => g.key)).toEqual(['MAISONS_ET_CITES']);
    expect((progress.body as { delivered: number }).delivered).toBe(7);
  });
});

describe('financer', () => {
  it('pays its own grants and reads what it funds', async () => {
    expectStatus(await api.post('/grants/g-auth-etat/payments', ETAT, { paymentId: 'v1', paidOn: '2020-10-29', amountCents: 1000 }), 201);
    expectStatus(await api.get(`/operations/${OP_SIA}`, ETAT), 200);
    expectStatus(await api.get('/grants/g-auth-etat', ETAT), 200);
    await api.project();
    const subsidies = await api.get('/subsidies?asOf=2022-12-31&groupBy=financer', REGION);
    expect((subsidies.body as { keys: { financer: string } }[]).map((r) => r.keys.financer)).toEqual(['ETAT', 'REGION_HDF']);
  });

  it("refuses paying another financer's grant and hides what it does not fund", () =>
    appendsNothing(async () => {
      expectProblem(await api.post('/grants/g-auth-region/payments', ETAT, { paymentId: 'v2', paidOn: '2020-10-29', amountCents: 1000 }), 404, 'GRANT.NOT_FOUND');
      expectProblem(await api.post(`/operations/${OP_SIA}/deliveries`, ETAT, delivery('etat-delivery')), 403, 'AUTH.FORBIDDEN');
      expectProblem(await api.get('/grants/g-auth-region', ETAT), 404, 'GRANT.NOT_FOUND');
      expectProblem(await api.get(`/operations/${OP_MC}`, ETAT), 404, 'OPERATION.NOT_FOUND');
    }));
});

describe('EPCI', () => {
  it('reads its territory and programmes urban operations it leads', async () => {
    expectStatus(await api.get(`/operations/${OP_SIA}`, CALL), 200);
    const urban = { operationId: 'urb-auth', citeId: CITE, leadKind: 'commune', leadName: 'Lens', title: 'Espaces publics', axisCode: '1a', programmedOn: '2019-06-01', plannedDates: {} };
    expectStatus(await api.post('/operations/urbaines', CALL, urban), 201);
    await api.project();
    const phases = await api.get('/operations-by-phase?asOf=2022-12-31', CAHC);
    expect((phases.body as { operations: number }[]).reduce((s, r) => s + r.operations, 0)).toBe(1);
  });

  it('refuses writes on bailleurs\' deliveries, urban operations elsewhere, and reads outside its territory', () =>
    appendsNothing(async () => {
      expectProblem(await api.post(`/operations/${OP_SIA}/deliveries`, CALL, delivery('call-delivery')), 403, 'AUTH.FORBIDDEN');
      const urban = { operationId: 'urb-cahc', citeId: CITE, leadKind: 'commune', leadName: 'Lens', title: 'Espaces publics', axisCode: '1a', programmedOn: '2019-06-01', plannedDates: {} };
      expectProblem(await api.post('/operations/urbaines', CAHC, urban), 403, 'AUTH.NOT_OWNER');
      expectProblem(await api.get(`/operations/${OP_MC}`, CALL), 404, 'OPERATION.NOT_FOUND');
    }));
});

describe('comité de pilotage', () => {
  it('reads the aggregates', async () => {
    for (const path of ['/progress/logements?asOf=2022-12-31', '/operations-by-phase', '/subsidies', '/insertion', '/energy', '/reports/bilan?asOf=2022-12-31']) {
      expectStatus(await api.get(path, COPIL), 200);
    }
    // Every bailleur's deliveries, as the délégation sees them (Maisons & Cités' 7, and SIA's when recorded).
    await api.project();
    const delivered = async (org: string) => ((await api.get('/progress/logements?asOf=2022-12-31', org)).body as { delivered: number }).delivered;
    expect(await delivered(COPIL)).toBeGreaterThanOrEqual(7);
    expect(await delivered(COPIL)).toBe(await delivered(DELEGATION));
  });

  it('reads no stream and writes nothing: 403 AUTH.FORBIDDEN', () =>
    appendsNothing(async () => {
      expectProblem(await api.get(`/operations/${OP_SIA}`, COPIL), 403, 'AUTH.FORBIDDEN');
      expectProblem(await api.get('/grants/g-auth-etat', COPIL), 403, 'AUTH.FORBIDDEN');
      expectProblem(await api.post(`/operations/${OP_SIA}/deliveries`, COPIL, delivery('copil')), 403, 'AUTH.FORBIDDEN');
      expectProblem(await api.get('/auth/clients', COPIL), 403, 'AUTH.FORBIDDEN');
    }));
});

describe('délégation', () => {
  it('reads everything and administers clients; never sees a hash', async () => {
    expectStatus(await api.get(`/operations/${OP_MC}`, DELEGATION), 200);
    expectStatus(await api.get('/grants/g-auth-region', DELEGATION), 200);
    await api.refreshIdentity();
    const list = await api.get('/auth/clients', DELEGATION);
    expectStatus(list, 200);
    expect((list.body as { organisation: string }[]).map((c) => c.organisation)).toEqual(expect.arrayContaining([DELEGATION, SIA, COPIL]));
    expectProblem(await api.post('/auth/clients/inconnu/keys', DELEGATION, {}), 404, 'CLIENT.NOT_FOUND');
    expectProblem(await api.post('/auth/clients', DELEGATION, { organisation: 'root', name: 'x' }), 400, 'REQUEST.INVALID');
  });
});

describe('rate limiting', () => {
  let limited: TestApi;

  beforeAll(async () => {
    limited = await TestApi.start('authorization_rate', { rateLimitPerMinute: 4 });
    await limited.keyFor(SIA); // 2 requests of the délégation's client
  });
  afterAll(async () => {
    await limited.close();
  });

  it('answers 429 RATE_LIMIT.EXCEEDED with Retry-After once a client exceeds its limit; other clients and /health are not affected', async () => {
    for (let i = 0; i < 4; i++) expectStatus(await limited.get('/energy', SIA), 200);
    const res = await limited.get('/energy', SIA);
    expectProblem(res, 429, 'RATE_LIMIT.EXCEEDED');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expectStatus(await limited.get('/energy', DELEGATION), 200);
    for (let i = 0; i < 6; i++) expectStatus(await limited.get('/health', null), 200);
  });
});
