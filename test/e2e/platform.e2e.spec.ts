import { COMMAND_TYPES } from '@erbm/application';
import { TestApi, expectStatus } from './support/api';

/** Health of the services the API depends on, and the OpenAPI document. */
let api: TestApi;

beforeAll(async () => {
  api = await TestApi.start('platform');
});
afterAll(() => api.close());

interface OpenApi {
  openapi: string;
  paths: Record<string, Record<string, { summary?: string; description?: string; responses: Record<string, unknown>; parameters?: { name: string; in: string }[]; security?: unknown[] }>>;
  components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> };
}

describe('health', () => {
  it('is 200 with PostgreSQL, the event store and Redis up, without credentials', async () => {
    const res = await api.get('/health', null);
    expectStatus(res, 200);
    expect(res.body).toMatchObject({
      status: 'ok',
      info: { postgresql: { status: 'up' }, eventStore: { status: 'up' }, redis: { status: 'up' } },
    });
  });
});

describe('OpenAPI', () => {
  let doc: OpenApi;

  beforeAll(async () => {
    const res = await api.get('/docs/openapi.json', null);
    expectStatus(res, 200);
    doc = res.body as OpenApi;
  });

  it('is an OpenAPI 3 document', () => {
    expect(doc.openapi).toMatch(/^3\./);
  });

  it.each([
    ['post', '/programmes', 'programme.LaunchProgramme'],
    ['post', '/programmes/{programmeId}/targets', 'programme.SetTarget'],
    ['post', '/programmes/{programmeId}/axis-sets', 'programme.PublishAxisSet'],
    ['post', '/epci', 'programme.RegisterEpci'],
    ['post', '/financers', 'programme.RegisterFinancer'],
    ['post', '/bailleurs', 'programme.RegisterBailleur'],
    ['post', '/cites', 'programme.RegisterCite'],
    ['post', '/cites/{citeId}/corrections', 'programme.CorrectCite'],
    ['post', '/operations/logements', 'operation.ProgrammeLogementsOperation'],
    ['post', '/operations/urbaines', 'operation.ProgrammeUrbanOperation'],
    ['post', '/operations/{operationId}/phases', 'operation.StartPhase'],
    ['post', '/operations/{operationId}/phase-plans', 'operation.RevisePhasePlan'],
    ['post', '/operations/{operationId}/suspensions', 'operation.SuspendOperation'],
    ['post', '/operations/{operationId}/resumptions', 'operation.ResumeOperation'],
    ['post', '/operations/{operationId}/abandonment', 'operation.AbandonOperation'],
    ['post', '/operations/{operationId}/deliveries', 'operation.RecordLogementsDelivery'],
    ['post', '/operations/{operationId}/deliveries/{deliveryId}/corrections', 'operation.CorrectLogementsDelivery'],
    ['post', '/operations/{operationId}/planned-logements', 'operation.AmendPlannedLogements'],
    ['post', '/grants', 'funding.DecideGrant'],
    ['post', '/grants/{grantId}/amendments', 'funding.AmendGrant'],
    ['post', '/grants/{grantId}/payments', 'funding.RecordGrantPayment'],
    ['post', '/grants/{grantId}/cancellation', 'funding.CancelGrant'],
    ['post', '/insertion/declarations', 'insertion.DeclareInsertionHours'],
    ['post', '/insertion/declarations/{declarationId}/corrections', 'insertion.CorrectInsertionDeclaration'],
  ])('documents %s %s (%s) with its answers and headers', (method, path, commandType) => {
    const op = doc.paths[path]?.[method];
    expect(op).toBeDefined();
    expect(op.description).toContain(commandType);
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '201', '400', '401', '403', '404', '409', '412', '422', '429']));
    expect(op.parameters?.filter((p) => p.in === 'header').map((p) => p.name)).toEqual(expect.arrayContaining(['X-Acting-User', 'Idempotency-Key', 'If-Match']));
    expect(op.security).toEqual([{ bearer: [] }, { 'api-key': [] }]);
  });

  it('has an endpoint for every command type the executor knows', () => {
    const descriptions = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((op) => op.description ?? ''));
    const missing = COMMAND_TYPES.filter((type) => !descriptions.some((d) => d.includes(`\`${type}\``)));
    expect(missing).toEqual([]);
  });

  it('documents the reads', () => {
    for (const path of ['/operations/{operationId}', '/grants/{grantId}', '/insertion/declarations/{declarationId}', '/progress/logements', '/reports/bilan', '/health']) {
      expect(doc.paths[path]?.get).toBeDefined();
    }
  });

  it('describes the DTOs with their fields, and the problem details', () => {
    const s = doc.components.schemas;
    expect(Object.keys(s.RecordDeliveryDto.properties ?? {})).toEqual(['deliveryId', 'deliveredOn', 'logements', 'energyBefore', 'energyAfter']);
    expect(s.DecideGrantDto.properties?.amountCents).toMatchObject({ type: 'number', minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
    expect(s.DeclareInsertionHoursDto.properties?.operationId).toMatchObject({ nullable: true });
    expect(s.DeclareInsertionHoursDto.required).not.toContain('operationId');
    expect(Object.keys(s.ProblemDetailsDto.properties ?? {})).toEqual(['type', 'title', 'status', 'detail', 'instance', 'code', 'violations']);
  });
});
