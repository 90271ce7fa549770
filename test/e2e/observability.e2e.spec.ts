import { type ReadableSpan, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { APP_CONFIG, type AppConfig, LOGGER, type Tracing, startTracing } from '@erbm/platform';
import { type Logger } from 'pino';
import { logReadable } from '@erbm/test-support';
import { TestApi, expectProblem, expectStatus } from './support/api';
import { DELEGATION, SIA } from './support/scenario';

/**
 * Observability of the API (docs/operations.md#observability): correlation id from the request to the events and
 * the JSON logs, Prometheus metrics behind credentials, OpenTelemetry spans from the request to the append and the
 * projection batch (recorded here by the SDK's in-memory exporter).
 */
const spans = new InMemorySpanExporter();
let tracing: Tracing | null;
let api: TestApi;

beforeAll(async () => {
  // Tracing is registered before the application, as main.ts does; this test file has its own OpenTelemetry globals.
  tracing = startTracing('erbm-e2e', {}, new SimpleSpanProcessor(spans));
  api = await TestApi.start('observability');
  await api.project();
});
afterAll(async () => {
  await api.close();
  await tracing?.shutdown();
});

type LogLine = Record<string, unknown> & { level: string; msg: string };

/** Runs `fn` with the app's JSON log at `info`, capturing the lines it writes to standard output. */
async function capturingLogs<T>(fn: () => Promise<T>): Promise<{ result: T; lines: LogLine[] }> {
  const log = api.app.get<Logger>(LOGGER);
  const previous = log.level;
  const chunks: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  });
  log.level = 'info';
  try {
    const result = await fn();
    // The request's line is written when the response finishes, which may follow the client's read by a tick.
    await new Promise((resolve) => setImmediate(resolve));
    const lines = chunks
      .join('')
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as LogLine);
    return { result, lines };
  } finally {
    log.level = previous;
    write.mockRestore();
  }
}

const metadataOf = async (commandId: string): Promise<{ correlationId: string; commandId: string }[]> =>
  ((await api.db.query(`SELECT metadata FROM es_events WHERE metadata->>'commandId' = $1 ORDER BY global_position`, [commandId])) as { metadata: { correlationId: string; commandId: string } }[]).map(
    (r) => r.metadata,
  );

/** The value of a sample of the Prometheus text, e.g. `erbm_commands_total{type="x",outcome="accepted",code="none"}`. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const found = Object.fromEntries([...(m[3] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(m[4]);
  }
  return undefined;
}

const scrape = async (): Promise<string> => {
  const res = await api.get('/metrics', DELEGATION);
  expectStatus(res, 200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text;
};

describe('correlation id', () => {
  it('takes X-Request-Id into the response, the events metadata and a JSON log line of the request', async () => {
    const { result: res, lines } = await capturingLogs(() =>
      api.post('/epci', DELEGATION, { epciCode: 'CALL', name: "Communauté d'agglomération de Lens-Liévin", communes: 36 }, { 'X-Request-Id': 'req-obs-1', 'Idempotency-Key': 'obs-epci-call' }),
    );
    expectStatus(res, 201);
    expect(res.headers['x-request-id']).toBe('req-obs-1');
    const metadata = await metadataOf('obs-epci-call');
    expect(metadata).toHaveLength(1);
    expect(metadata[0]).toMatchObject({ commandId: 'obs-epci-call', correlationId: 'req-obs-1' });

    const line = lines.find((l) => l.correlationId === 'req-obs-1' && l.msg === 'POST /epci 201');
    expect(line).toMatchObject({ level: 'info', service: expect.any(String), route: '/epci', req: { method: 'POST', url: '/epci' }, res: { statusCode: 201 } });
    expect(typeof line?.time).toBe('string');
    expect(typeof line?.responseTime).toBe('number');
    // No header, the credential among them, reaches the log.
    expect(JSON.stringify(lines)).not.toMatch(/erbm_[a-z0-9]+_/i);
  });

  it('takes the trace id of a W3C traceparent when no X-Request-Id is sent, and generates one otherwise', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await api.post('/bailleurs', DELEGATION, { bailleurCode: 'SIA_HABITAT', name: 'SIA Habitat' }, { traceparent: `00-${traceId}-00f067aa0ba902b7-01`, 'Idempotency-Key': 'obs-sia' });
    expectStatus(res, 201);
    expect(res.headers['x-request-id']).toBe(traceId);
    expect((await metadataOf('obs-sia'))[0].correlationId).toBe(traceId);

    const plain = await api.post('/bailleurs', DELEGATION, { bailleurCode: 'MAISONS_ET_CITES', name: 'Maisons & Cités' }, { 'X-Request-Id': 'not valid!', 'Idempotency-Key': 'obs-mc' });
    expectStatus(plain, 201);
    const generated = plain.headers['x-request-id'] as string;
    expect(generated).toMatch(/^[0-9a-f-]{32,36}$/);
    expect((await metadataOf('obs-mc'))[0].correlationId).toBe(generated);
  });

  it('is echoed on refusals too (401 problem+json)', async () => {
    const res = await api.get('/metrics', null).set('X-Request-Id', 'req-anonymous');
    expectProblem(res, 401, 'AUTH.UNAUTHENTICATED');
    expect(res.headers['x-request-id']).toBe('req-anonymous');
  });
});

describe('GET /metrics', () => {
  it('refuses a request without credentials (401) and other organisations than the délégation (403)', async () => {
    expectProblem(await api.get('/metrics', null), 401, 'AUTH.UNAUTHENTICATED');
    expectProblem(await api.get('/metrics', SIA), 403, 'AUTH.FORBIDDEN');
  });

  it('accepts the METRICS_TOKEN bearer token when one is configured, and only that token', async () => {
    const config = api.app.get<AppConfig>(APP_CONFIG);
    const token = 'scrape-token-0123456789abcdef0123456789';
    config.metricsToken = token;
    try {
      const res = await api.raw(null).get('/metrics').set('Authorization', `Bearer ${token}`);
      expectStatus(res, 200);
      expect(res.text).toContain('erbm_commands_total');
      expectProblem(await api.raw(null).get('/metrics').set('Authorization', `Bearer ${token}x`), 401, 'AUTH.UNAUTHENTICATED');
    } finally {
      config.metricsToken = null;
    }
    expectProblem(await api.raw(null).get('/metrics').set('Authorization', `Bearer ${token}`), 401, 'AUTH.UNAUTHENTICATED');
  });

  it('counts commands by type and outcome, times requests by route template, and shows the projection lag', async () => {
    const before = await scrape();
    const counted = (text: string, outcome: string, code = 'none') => sample(text, 'erbm_commands_total', { type: 'programme.RegisterFinancer', outcome, code }) ?? 0;
    const body = { financerCode: 'ETAT', name: 'État', category: 'etat', epciCode: null };
    expectStatus(await api.post('/financers', DELEGATION, body, { 'Idempotency-Key': 'obs-etat' }), 201);
    expectStatus(await api.post('/financers', DELEGATION, body, { 'Idempotency-Key': 'obs-etat' }), 200);
    expectProblem(await api.post('/financers', DELEGATION, { ...body, name: 'État français' }, { 'Idempotency-Key': 'obs-etat-again' }), 409, 'FINANCER.ALREADY_REGISTERED');

    // The lag counts the events readable in log order: wait until a transaction open elsewhere on the server (another
    // suite, another program) no longer holds the new event back.
    await logReadable(api.db);
    const after = await scrape();
    expect(counted(after, 'accepted') - counted(before, 'accepted')).toBe(1);
    expect(counted(after, 'duplicate') - counted(before, 'duplicate')).toBe(1);
    expect(counted(after, 'rejected', 'FINANCER.ALREADY_REGISTERED') - counted(before, 'rejected', 'FINANCER.ALREADY_REGISTERED')).toBe(1);

    expect(sample(after, 'erbm_http_request_duration_seconds_count', { method: 'POST', route: '/financers', status_code: '201' })).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'erbm_http_request_duration_seconds_count', { method: 'POST', route: '/financers', status_code: '409' })).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'erbm_http_request_duration_seconds_bucket', { method: 'POST', route: '/financers', status_code: '201', le: '+Inf' })).toBeGreaterThanOrEqual(1);
    expect(after).toContain('# TYPE erbm_http_request_duration_seconds histogram');

    // The bilan projection has not applied the commands of this suite yet: it lags by events and by seconds.
    expect(sample(after, 'erbm_projection_lag_events', { projection: 'bilan' })).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'erbm_projection_lag_seconds', { projection: 'bilan' })).toBeGreaterThan(0);
    expect(sample(after, 'erbm_import_rows_pending')).toBe(0);
    for (const state of ['waiting', 'active', 'delayed', 'failed', 'completed']) expect(sample(after, 'erbm_job_queue_jobs', { state })).toEqual(expect.any(Number));

    await api.project();
    const caughtUp = await scrape();
    expect(sample(caughtUp, 'erbm_projection_lag_events', { projection: 'bilan' })).toBe(0);
    expect(sample(caughtUp, 'erbm_projection_lag_seconds', { projection: 'bilan' })).toBe(0);
  });
});

describe('traces', () => {
  const attribute = (s: ReadableSpan, name: string) => s.attributes[name];
  const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;

  it('follow a request through the command to the append, then the projection batch', async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    spans.reset();
    const res = await api.post('/financers', DELEGATION, { financerCode: 'REGION_HDF', name: 'Région Hauts-de-France', category: 'region' }, { traceparent: `00-${traceId}-b7ad6b7169203331-01` });
    expectStatus(res, 201);

    const trace = spans.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    const server = trace.find((s) => s.name === 'POST /financers');
    const command = trace.find((s) => s.name === 'command programme.RegisterFinancer');
    const append = trace.find((s) => s.name === 'eventstore.append');
    expect(server && command && append).toBeTruthy();
    expect(parentOf(server!)).toBe('b7ad6b7169203331');
    expect(attribute(server!, 'http.route')).toBe('/financers');
    expect(attribute(server!, 'http.response.status_code')).toBe(201);
    expect(parentOf(command!)).toBe(server!.spanContext().spanId);
    expect(attribute(command!, 'erbm.command.outcome')).toBe('accepted');
    expect(attribute(command!, 'erbm.correlation_id')).toBe(traceId);
    expect(parentOf(append!)).toBe(command!.spanContext().spanId);
    expect(attribute(append!, 'erbm.stream.id')).toBe(attribute(command!, 'erbm.stream.id'));
    expect(attribute(append!, 'erbm.events.count')).toBe(1);

    await api.project();
    const batch = spans.getFinishedSpans().find((s) => s.name === 'projection.batch' && attribute(s, 'erbm.projection.name') === 'bilan');
    expect(batch).toBeDefined();
    expect(attribute(batch!, 'erbm.events.count')).toBeGreaterThanOrEqual(1);
    expect(attribute(batch!, 'erbm.projection.applied')).toBe(true);
  });
});
