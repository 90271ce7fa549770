import { TestApi, expectStatus } from './support/api';
import { DELEGATION, ETAT, SIA, command, energy, logementsOperationInTravaux, registerReferenceData } from './support/scenario';

/**
 * Bad input of every kind gets a 4xx problem+json (a stable `code`, `violations` naming the field where there is
 * one), never a 5xx, and appends nothing.
 */
let api: TestApi;
const OP = 'op-bad-input';
const GRANT = 'g-etat-bad-input';

const delivery = (overrides: Record<string, unknown> = {}) => ({
  deliveryId: 'liv-bad',
  deliveredOn: '2021-01-20',
  logements: 10,
  energyBefore: energy(345, 'F'),
  energyAfter: energy(104, 'B'),
  ...overrides,
});

const logementsOperation = (overrides: Record<string, unknown> = {}) => ({
  operationId: 'op-bad-2',
  citeId: 'cite-du-12-14',
  bailleurCode: 'SIA_HABITAT',
  title: 'Opération',
  plannedLogements: 10,
  financing: 'erbm',
  axisCode: '1a',
  lots: [{ lotType: 'PALULOS', logements: 10 }],
  programmedOn: '2019-01-15',
  plannedDates: {},
  ...overrides,
});

const persons = (deld: number) => ({ deld, rsa: 0, jeunes: 0, rqth: 0, autres: 0 });

interface Row {
  name: string;
  method?: 'GET' | 'POST';
  path: string;
  as?: string;
  /** JSON body (sent as application/json). */
  body?: object;
  /** Raw body text, sent as is with `contentType`. */
  raw?: string;
  contentType?: string;
  status: number;
  code: string;
  /** Field a violation must name. */
  field?: string;
}

const DELIVERIES = `/operations/${OP}/deliveries`;
const PAYMENTS = `/grants/${GRANT}/payments`;

const rows: Row[] = [
  // numbers
  { name: 'negative logements', path: DELIVERIES, body: delivery({ logements: -5 }), status: 400, code: 'REQUEST.INVALID', field: 'logements' },
  { name: 'zero logements', path: DELIVERIES, body: delivery({ logements: 0 }), status: 400, code: 'REQUEST.INVALID', field: 'logements' },
  { name: 'float amountCents', path: PAYMENTS, as: ETAT, body: { paymentId: 'v-float', paidOn: '2020-10-29', amountCents: 1000.5 }, status: 400, code: 'REQUEST.INVALID', field: 'amountCents' },
  {
    name: 'amountCents above Number.MAX_SAFE_INTEGER',
    path: PAYMENTS,
    as: ETAT,
    raw: '{"paymentId":"v-huge","paidOn":"2020-10-29","amountCents":9007199254740993}',
    status: 400,
    code: 'REQUEST.INVALID',
    field: 'amountCents',
  },
  { name: 'amountCents 1e300', path: PAYMENTS, as: ETAT, raw: '{"paymentId":"v-huge","paidOn":"2020-10-29","amountCents":1e300}', status: 400, code: 'REQUEST.INVALID', field: 'amountCents' },
  { name: 'string for an integer', path: DELIVERIES, body: delivery({ logements: '60' }), status: 400, code: 'REQUEST.INVALID', field: 'logements' },
  { name: 'string for a boolean', path: '/cites', as: DELEGATION, body: { citeId: 'cite-x', name: 'X', communes: ['Lens'], epciCode: 'CALL', unesco: 'true', priority: false }, status: 400, code: 'REQUEST.INVALID', field: 'unesco' },
  { name: 'number for an id', path: '/insertion/declarations', body: { declarationId: 'ins-x', operationId: 42, epciCode: 'CALL', marcheRef: 'M', periodStart: '2021-01-01', periodEnd: '2021-06-30', hours: 1, participants: persons(1), recruitments: persons(0) }, status: 400, code: 'REQUEST.INVALID', field: 'operationId' },
  { name: 'negative hours', path: '/insertion/declarations', as: DELEGATION, body: { declarationId: 'ins-x', epciCode: 'CALL', marcheRef: 'M', periodStart: '2021-01-01', periodEnd: '2021-06-30', hours: -1, participants: persons(1), recruitments: persons(0) }, status: 400, code: 'REQUEST.INVALID', field: 'hours' },
  { name: 'nested integer out of range', path: DELIVERIES, body: delivery({ energyAfter: energy(2001, 'G') }), status: 400, code: 'REQUEST.INVALID', field: 'energyAfter.primaryEnergyKwhPerM2Year' },
  // shape
  { name: 'unknown field', path: DELIVERIES, body: delivery({ comment: 'hello' }), status: 400, code: 'REQUEST.INVALID', field: 'comment' },
  { name: 'unknown nested field', path: DELIVERIES, body: delivery({ energyAfter: { ...energy(104, 'B'), colour: 'green' } }), status: 400, code: 'REQUEST.INVALID', field: 'energyAfter.colour' },
  { name: 'unknown phase in plannedDates', path: '/operations/logements', body: logementsOperation({ plannedDates: { reception: '2022-01-01' } }), status: 400, code: 'REQUEST.INVALID', field: 'plannedDates.reception' },
  { name: 'missing nested object', path: DELIVERIES, body: { deliveryId: 'liv-bad', deliveredOn: '2021-01-20', logements: 10, energyAfter: energy(104, 'B') }, status: 400, code: 'REQUEST.INVALID', field: 'energyBefore' },
  { name: 'array instead of an object', path: DELIVERIES, body: delivery({ energyBefore: [energy(345, 'F')] }), status: 400, code: 'REQUEST.INVALID', field: 'energyBefore' },
  { name: 'null in an array of objects', path: '/operations/logements', body: logementsOperation({ lots: [null] }), status: 400, code: 'REQUEST.INVALID', field: 'lots[0]' },
  { name: 'bad item in an array of objects', path: '/operations/logements', body: logementsOperation({ lots: [{ lotType: 'PALULOS', logements: 0 }] }), status: 400, code: 'REQUEST.INVALID', field: 'lots[0].logements' },
  { name: 'empty body', path: DELIVERIES, body: {}, status: 400, code: 'REQUEST.INVALID', field: 'deliveryId' },
  { name: 'JSON array body', path: DELIVERIES, raw: '[]', status: 400, code: 'REQUEST.INVALID' },
  { name: '__proto__ key', path: DELIVERIES, raw: JSON.stringify(delivery()).replace('{', '{"__proto__":{"isAdmin":true},'), status: 400, code: 'REQUEST.INVALID', field: '__proto__' },
  // strings and dates
  { name: 'impossible date 2022-02-30', path: DELIVERIES, body: delivery({ deliveredOn: '2022-02-30' }), status: 400, code: 'REQUEST.INVALID', field: 'deliveredOn' },
  { name: 'date-time instead of a date', path: DELIVERIES, body: delivery({ deliveredOn: '2021-01-20T00:00:00Z' }), status: 400, code: 'REQUEST.INVALID', field: 'deliveredOn' },
  { name: 'blank text', path: '/bailleurs', as: DELEGATION, body: { bailleurCode: 'BLANK', name: '   ' }, status: 400, code: 'REQUEST.INVALID', field: 'name' },
  { name: 'text over its limit', path: '/bailleurs', as: DELEGATION, body: { bailleurCode: 'LONG', name: 'x'.repeat(257) }, status: 400, code: 'REQUEST.INVALID', field: 'name' },
  { name: 'NUL character in text', path: '/bailleurs', as: DELEGATION, body: { bailleurCode: 'NUL_CHAR', name: 'Bailleur\u0000' }, status: 400, code: 'REQUEST.INVALID', field: 'name' },
  { name: 'lone surrogate in text', path: `/operations/${OP}/suspensions`, raw: '{"suspendedOn":"2021-01-01","reason":"\\ud800"}', status: 400, code: 'REQUEST.INVALID', field: 'reason' },
  { name: 'lowercase reference code', path: '/epci', as: DELEGATION, body: { epciCode: 'call', name: 'CALL', communes: 36 }, status: 400, code: 'REQUEST.INVALID', field: 'epciCode' },
  { name: 'unknown enum value', path: `/operations/${OP}/phases`, body: { phase: 'reception', startedOn: '2021-01-01' }, status: 400, code: 'REQUEST.INVALID', field: 'phase' },
  // injection-like ids
  { name: 'SQL injection in a path id', path: "/operations/x'%3B%20DROP%20TABLE%20es_events%3B--/deliveries", body: delivery(), status: 400, code: 'REQUEST.INVALID', field: 'operationId' },
  { name: 'SQL injection in a body id', path: DELIVERIES, body: delivery({ deliveryId: "1' OR '1'='1" }), status: 400, code: 'REQUEST.INVALID', field: 'deliveryId' },
  { name: 'SQL injection in a read', method: 'GET', path: "/grants/'%20OR%201=1--", status: 400, code: 'REQUEST.INVALID', field: 'grantId' },
  { name: 'SQL injection in a query', method: 'GET', path: '/subsidies?groupBy=financer%3BDROP%20TABLE%20es_events', status: 400, code: 'REQUEST.INVALID', field: 'groupBy' },
  { name: 'repeated query parameter', method: 'GET', path: '/reports/bilan?asOf=2022-01-01&asOf=2022-02-01', status: 400, code: 'REQUEST.INVALID', field: 'asOf' },
  { name: 'bad percent-encoding in the path', path: '/operations/%E0%A4%A/deliveries', body: delivery(), status: 400, code: 'REQUEST.INVALID' },
  // body transport
  { name: 'malformed JSON', path: DELIVERIES, raw: '{"deliveryId": "liv-bad",', status: 400, code: 'REQUEST.MALFORMED_JSON' },
  { name: 'JSON scalar body', path: DELIVERIES, raw: '"liv-bad"', status: 400, code: 'REQUEST.MALFORMED_JSON' },
  { name: 'body over 256kb', path: DELIVERIES, raw: JSON.stringify(delivery({ deliveryId: 'x'.repeat(300_000) })), status: 413, code: 'REQUEST.TOO_LARGE' },
  { name: 'deeply nested body', path: DELIVERIES, raw: `{"deliveryId":${'['.repeat(5000)}${']'.repeat(5000)}}`, status: 400, code: 'REQUEST.TOO_DEEP' },
  { name: 'text/plain body', path: DELIVERIES, raw: 'deliveryId=liv-bad', contentType: 'text/plain', status: 415, code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE' },
  { name: 'unsupported charset', path: DELIVERIES, raw: JSON.stringify(delivery()), contentType: 'application/json; charset=latin-9', status: 415, code: 'REQUEST.UNSUPPORTED_ENCODING' },
  // routes
  { name: 'unknown route (GET)', method: 'GET', path: '/nope', status: 404, code: 'ROUTE.NOT_FOUND' },
  { name: 'unknown route (POST)', path: `/operations/${OP}/teleportations`, body: {}, status: 404, code: 'ROUTE.NOT_FOUND' },
  // well-formed, refused by the domain
  { name: 'delivery beyond planned logements', path: DELIVERIES, body: delivery({ logements: 121 }), status: 422, code: 'OPERATION.DELIVERY_EXCEEDS_PLANNED', field: 'logements' },
  { name: 'payment above the grant', path: PAYMENTS, as: ETAT, body: { paymentId: 'v-trop', paidOn: '2020-10-29', amountCents: 1_000_001 }, status: 422, code: 'GRANT.PAYMENT_EXCEEDS_AMOUNT', field: 'amountCents' },
  { name: 'DPE class better than the energy allows', path: DELIVERIES, body: delivery({ energyAfter: energy(200, 'B') }), status: 422, code: 'ENERGY.DPE_CLASS_INCONSISTENT', field: 'energyAfter.dpeClass' },
  { name: 'recruitments above participants', path: '/insertion/declarations', body: { declarationId: 'ins-x', operationId: OP, epciCode: 'CALL', marcheRef: 'M', periodStart: '2021-01-01', periodEnd: '2021-06-30', hours: 10, participants: persons(1), recruitments: persons(2) }, status: 422, code: 'INSERTION.RECRUITMENTS_EXCEED_PARTICIPANTS' },
  { name: 'lots not adding up', path: '/operations/logements', body: logementsOperation({ plannedLogements: 12 }), status: 422, code: 'OPERATION.LOTS_MISMATCH', field: 'lots' },
  { name: 'axis tree broken', path: '/programmes/erbm/axis-sets', as: DELEGATION, body: { axisSetVersion: 'v2', effectiveFrom: '2023-01-01', axes: [{ code: '1a', label: 'Sans parent', parentCode: '1' }], source: 's' }, status: 400, code: 'COMMAND.INVALID', field: 'axes[0].parentCode' },
  { name: 'unknown cité', path: '/operations/logements', body: logementsOperation({ citeId: 'cite-inconnue' }), status: 404, code: 'CITE.NOT_FOUND', field: 'citeId' },
  { name: 'correction of an unknown cité', path: '/cites/cite-inconnue/corrections', as: DELEGATION, body: { name: 'X', communes: ['Lens'], epciCode: 'CALL', unesco: false, priority: false, reason: 'r' }, status: 404, code: 'CITE.NOT_FOUND' },
  { name: 'payment on an unknown grant', path: '/grants/g-inconnue/payments', as: DELEGATION, body: { paymentId: 'v1', paidOn: '2020-10-29', amountCents: 1 }, status: 404, code: 'GRANT.NOT_FOUND' },
  { name: 'unknown financer', path: '/grants', as: DELEGATION, body: { grantId: 'g-x', financerCode: 'INCONNU', operationId: OP, beneficiary: { kind: 'autre', name: 'X' }, dispositif: 'autre', axisCode: '1a', amountCents: 1, conventionDate: '2020-01-01' }, status: 404, code: 'FINANCER.NOT_FOUND' },
  { name: 'programme launched twice', path: '/programmes', as: DELEGATION, body: { programmeId: 'erbm', name: 'ERBM', signedOn: '2017-03-07', startYear: 2017, endYear: 2027 }, status: 409, code: 'PROGRAMME.ALREADY_LAUNCHED' },
];

beforeAll(async () => {
  api = await TestApi.start('bad_input');
  await registerReferenceData(api);
  await logementsOperationInTravaux(api, OP, 120);
  await command(api, '/grants', ETAT, {
    grantId: GRANT,
    financerCode: 'ETAT',
    operationId: OP,
    beneficiary: { kind: 'bailleur', code: 'SIA_HABITAT', name: 'SIA Habitat' },
    dispositif: 'aides-a-la-pierre',
    axisCode: '1a',
    amountCents: 1_000_000,
    conventionDate: '2020-02-10',
  });
});
afterAll(() => api.close());

describe('bad input', () => {
  it.each(rows)('$name → $status $code', async (row) => {
    const agent = api.raw();
    let req = row.method === 'GET' ? agent.get(row.path) : agent.post(row.path).set('X-Acting-Organisation', row.as ?? SIA);
    if (row.raw !== undefined) req = req.set('Content-Type', row.contentType ?? 'application/json').send(row.raw);
    else if (row.body !== undefined) req = req.send(row.body);
    const before = await api.eventCount();
    const res = await req;

    expect(res.status).toBeLessThan(500);
    expect({ status: res.status, body: res.body as unknown }).toMatchObject({ status: row.status, body: { status: row.status, code: row.code } });
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ type: expect.any(String), title: expect.any(String), detail: expect.any(String), instance: expect.any(String) });
    if (row.field) expect((res.body as { violations?: { field: string }[] }).violations?.map((v) => v.field)).toContain(row.field);
    expect(await api.eventCount()).toBe(before);
  });

  it('still accepts a good request: one event appended', async () => {
    const before = await api.eventCount();
    expectStatus(await api.post(DELIVERIES, SIA, delivery({ deliveryId: 'liv-ok' })), 201);
    expect(await api.eventCount()).toBe(before + 1);
  });
});
