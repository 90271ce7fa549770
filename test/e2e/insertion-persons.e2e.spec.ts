import { TestApi, expectProblem, expectStatus } from './support/api';
import { DELEGATION, SIA, logementsOperationInTravaux, registerReferenceData } from './support/scenario';

/**
 * Declarations with persons and contracts (ADR 0024) over HTTP: bad input is a 400 problem+json naming the field and
 * writes nothing; a person declared twice counts once in GET /insertion/persons.
 */
let api: TestApi;
const OP = 'op-insertion-persons';
const P1 = '0123456789abcdef0123456789abcdef';
const P2 = 'fedcba9876543210fedcba9876543210';
const K = (n: number) => String(n).repeat(32);
const PATH = '/insertion/declarations/with-contracts';

const declaration = (overrides: Record<string, unknown> = {}) => ({
  declarationId: 'ins-persons-1',
  operationId: OP,
  epciCode: 'CALL',
  marcheRef: 'SIA-2021-LOT1',
  periodStart: '2021-01-01',
  periodEnd: '2021-06-30',
  hours: 900,
  participants: [{ participantId: P1, publics: ['RSA', 'JEUNE_MOINS_26'], recruited: true }, { participantId: P2, publics: ['DELD'], recruited: false }],
  contracts: [{ contractId: K(1), participantId: P1, kind: 'CDDI', startDate: '2021-01-04' }, { contractId: K(2), participantId: P2, kind: 'INTERIM', startDate: '2021-02-01' }],
  ...overrides,
});

beforeAll(async () => {
  api = await TestApi.start('insertion_persons');
  await registerReferenceData(api);
  await logementsOperationInTravaux(api, OP, 120);
});
afterAll(() => api.close());

describe('insertion declarations with persons and contracts', () => {
  it.each([
    ['an e-mail as participant id', { participants: [{ participantId: 'jean.dupont@example.org', publics: ['RSA'], recruited: true }] }, 'participants[0].participantId'],
    ['a name as contract id', { contracts: [{ contractId: 'Jean Dupont', participantId: P1, kind: 'CDDI', startDate: '2021-01-04' }] }, 'contracts[0].contractId'],
    ['an unknown public', { participants: [{ participantId: P1, publics: ['CHOMEUR'], recruited: true }] }, 'participants[0].publics'],
    ['no public', { participants: [{ participantId: P1, publics: [], recruited: true }] }, 'participants[0].publics'],
    ['an unknown contract kind', { contracts: [{ contractId: K(1), participantId: P1, kind: 'STAGE', startDate: '2021-01-04' }] }, 'contracts[0].kind'],
    ['a contract held by nobody listed', { contracts: [{ contractId: K(1), participantId: P1, kind: 'CDDI', startDate: '2021-01-04' }, { contractId: K(2), participantId: K(9), kind: 'CDD', startDate: '2021-01-04' }] }, 'contracts[1].participantId'],
    ['a person listed twice', { participants: [{ participantId: P1, publics: ['RSA'], recruited: true }, { participantId: P1, publics: ['DELD'], recruited: false }], contracts: [{ contractId: K(1), participantId: P1, kind: 'CDDI', startDate: '2021-01-04' }] }, 'participants[1].participantId'],
  ])('refuses %s: 400 naming the field, nothing written', async (_what, overrides, field) => {
    const before = await api.eventCount();
    const res = await api.post(PATH, SIA, declaration(overrides));
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((res.body as { violations: { field: string }[] }).violations.map((v) => v.field.replace(/\.(\d+)/g, '[$1]'))).toContain(field);
    expect(await api.eventCount()).toBe(before);
  });

  it('refuses a contract starting after the period: 422, nothing written', async () => {
    const before = await api.eventCount();
    const body = declaration({ declarationId: 'ins-persons-late', contracts: [{ contractId: K(1), participantId: P1, kind: 'CDDI', startDate: '2021-01-04' }, { contractId: K(2), participantId: P2, kind: 'INTERIM', startDate: '2021-07-01' }] });
    expectProblem(await api.post(PATH, SIA, body), 422, 'INSERTION.CONTRACT_STARTS_AFTER_PERIOD');
    expect(await api.eventCount()).toBe(before);
  });

  it('counts a person declared in two declarations once, in every public of theirs', async () => {
    expectStatus(await api.post(PATH, SIA, declaration()), 201);
    // The same P1 on a works contract outside the operation, declared by the délégation.
    expectStatus(
      await api.post(PATH, DELEGATION, declaration({
        declarationId: 'ins-persons-2', operationId: null, marcheRef: 'CALL-2021-ESPACES', periodStart: '2021-07-01', periodEnd: '2021-12-31', hours: 300,
        participants: [{ participantId: P1, publics: ['RSA'], recruited: false }], contracts: [{ contractId: K(3), participantId: P1, kind: 'CDD', startDate: '2021-07-01' }],
      })),
      201,
    );
    await api.project();
    const all = await api.get('/insertion/persons?asOf=2022-12-31', DELEGATION);
    expectStatus(all, 200);
    expect(all.body).toEqual([{ keys: {}, persons: 2, recruited: 1, withoutId: 0, estimated: { persons: 0, recruited: 0 } }]);
    const byPublic = await api.get('/insertion/persons?asOf=2022-12-31&groupBy=public', DELEGATION);
    expect(Object.fromEntries((byPublic.body as { keys: { public: string }; persons: number }[]).map((r) => [r.keys.public, r.persons]))).toEqual({ DELD: 1, JEUNE_MOINS_26: 1, RSA: 1 });
    const byKind = await api.get('/insertion/contracts?asOf=2022-12-31&groupBy=contractKind', DELEGATION);
    expect(Object.fromEntries((byKind.body as { keys: { contractKind: string }; contracts: number }[]).map((r) => [r.keys.contractKind, r.contracts]))).toEqual({ CDD: 1, CDDI: 1, INTERIM: 1 });
    const history = await api.get('/insertion/declarations/ins-persons-1', DELEGATION);
    expect((history.body as { events: { type: string }[] }).events.map((e) => e.type)).toEqual(['insertion.InsertionHoursDeclared.v2']);
  });

  it('refuses an unknown dimension: 400 naming groupBy', async () => {
    const res = await api.get('/insertion/persons?groupBy=person', DELEGATION);
    expectProblem(res, 400, 'REQUEST.INVALID');
    expect((res.body as { violations: { field: string }[] }).violations.map((v) => v.field)).toContain('query:groupBy');
  });
});
