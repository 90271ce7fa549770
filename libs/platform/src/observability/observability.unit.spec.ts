import { Writable } from 'node:stream';
import { type Logger } from 'pino';
import { NestPinoLogger, createLogger, parseLogLevel } from './logger';
import { Metrics, registerOperationalGauges } from './metrics';
import { correlationIdFrom, currentCorrelationId, requestContext } from './request-context';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { inJobSpan, startTracing } from './tracing';

/** A pino logger writing into an array of parsed lines. */
function memoryLogger(level: 'info' | 'trace' | 'warn' = 'info'): { log: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const l of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  // pino writes synchronously to a stream's write(); the Writable calls back at once.
  return { log: createLogger({ service: 'erbm-test', level, destination }), lines };
}

describe('NestPinoLogger', () => {
  it('writes JSON lines with the level name, ISO time, service, context and message', () => {
    const { log, lines } = memoryLogger();
    new NestPinoLogger(log).log('Projection bilan v3: resumed', 'Background');
    expect(lines).toEqual([{ level: 'info', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), service: 'erbm-test', context: 'Background', msg: 'Projection bilan v3: resumed' }]);
  });

  it("follows Nest's conventions: error(message, stack, context), verbose as trace, objects merged, Errors as err", () => {
    const { log, lines } = memoryLogger('trace');
    const nest = new NestPinoLogger(log);
    nest.error('boom', 'Error: boom\n    at f (file.ts:1:1)', 'ExceptionsHandler');
    nest.error('no stack', undefined, 'Worker');
    nest.verbose('details', 'Runner');
    nest.warn({ msg: 'slow batch', events: 1000 }, 'Runner');
    nest.fatal(new Error('gone'));
    nest.debug('with params', 42, 'Ctx');
    expect(lines.map(({ time: _t, service: _s, ...rest }) => rest)).toEqual([
      { level: 'error', context: 'ExceptionsHandler', stack: 'Error: boom\n    at f (file.ts:1:1)', msg: 'boom' },
      { level: 'error', context: 'Worker', msg: 'no stack' },
      { level: 'trace', context: 'Runner', msg: 'details' },
      { level: 'warn', context: 'Runner', msg: 'slow batch', events: 1000 },
      { level: 'fatal', err: expect.objectContaining({ type: 'Error', message: 'gone' }), msg: 'gone' },
      { level: 'debug', context: 'Ctx', params: [42], msg: 'with params' },
    ]);
  });

  it('drops what is below the level', () => {
    const { log, lines } = memoryLogger('warn');
    const nest = new NestPinoLogger(log);
    nest.log('not shown');
    nest.debug('not shown');
    nest.warn('shown');
    expect(lines.map((l) => l.msg)).toEqual(['shown']);
  });

  it("writes through the request's logger inside a request, so the line carries its correlation id", () => {
    const { log, lines } = memoryLogger();
    const nest = new NestPinoLogger(log);
    requestContext.run({ correlationId: 'req-42', log: log.child({ correlationId: 'req-42' }) }, () => {
      expect(currentCorrelationId()).toBe('req-42');
      nest.log('inside', 'Ctx');
    });
    nest.log('outside', 'Ctx');
    expect(lines.map((l) => [l.msg, l.correlationId])).toEqual([
      ['inside', 'req-42'],
      ['outside', undefined],
    ]);
    expect(currentCorrelationId()).toBeUndefined();
  });
});

describe('parseLogLevel', () => {
  it('defaults to info, accepts the pino levels in any case, refuses others naming LOG_LEVEL', () => {
    expect(parseLogLevel(undefined)).toBe('info');
    expect(parseLogLevel('')).toBe('info');
    expect(parseLogLevel('DEBUG')).toBe('debug');
    expect(parseLogLevel('silent')).toBe('silent');
    expect(() => parseLogLevel('verbose')).toThrow(/^LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent, got "verbose"$/);
  });
});

describe('correlationIdFrom', () => {
  const fallback = () => 'generated';
  it('prefers X-Request-Id, then X-Correlation-Id, then the trace id of traceparent, then the fallback', () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    expect(correlationIdFrom({ 'x-request-id': 'req-1', 'x-correlation-id': 'corr-1', traceparent }, fallback)).toBe('req-1');
    expect(correlationIdFrom({ 'x-correlation-id': 'corr-1', traceparent }, fallback)).toBe('corr-1');
    expect(correlationIdFrom({ traceparent }, fallback)).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(correlationIdFrom({}, fallback)).toBe('generated');
    expect(correlationIdFrom({})).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
  });

  it('ignores malformed values instead of refusing the request', () => {
    expect(correlationIdFrom({ 'x-request-id': 'has spaces', traceparent: '00-xyz-00f067aa0ba902b7-01' }, fallback)).toBe('generated');
    expect(correlationIdFrom({ 'x-request-id': 'a'.repeat(121) }, fallback)).toBe('generated');
    expect(correlationIdFrom({ traceparent: `00-${'0'.repeat(32)}-00f067aa0ba902b7-01` }, fallback)).toBe('generated');
    expect(correlationIdFrom({ 'x-request-id': ['first', 'second'] }, fallback)).toBe('first');
  });
});

describe('operational gauges', () => {
  it('read their sources once per scrape, and leave out a failing source instead of failing the scrape', async () => {
    const metrics = new Metrics({ processMetrics: false });
    const errors: string[] = [];
    let lagReads = 0;
    registerOperationalGauges(metrics, {
      projectionLags: () => {
        lagReads += 1;
        return Promise.resolve([{ projection: 'bilan', events: 12, seconds: 3.5 }]);
      },
      importRowsPending: () => Promise.reject(new Error('database down')),
      queue: { counts: () => Promise.resolve({ waiting: 2, active: 1, completed: 7, failed: 0, delayed: 0 }) },
      onError: (source, e) => errors.push(`${source}: ${e.message}`),
    });
    const text = await metrics.registry.metrics();
    expect(text).toContain('erbm_projection_lag_events{projection="bilan"} 12');
    expect(text).toContain('erbm_projection_lag_seconds{projection="bilan"} 3.5');
    expect(text).toContain('erbm_job_queue_jobs{state="waiting"} 2');
    expect(text).toContain('erbm_job_queue_jobs{state="completed"} 7');
    expect(lagReads).toBe(1);
    expect(errors).toEqual(['imports: database down']);
    await metrics.registry.metrics();
    expect(lagReads).toBe(2);
  });

  it('counts commands by type, outcome and code', async () => {
    const metrics = new Metrics({ processMetrics: false });
    metrics.observeCommand({ type: 'funding.DecideGrant', outcome: 'accepted', code: null, seconds: 0.01 });
    metrics.observeCommand({ type: 'funding.DecideGrant', outcome: 'rejected', code: 'GRANT.OVER_BUDGET', seconds: 0.01 });
    metrics.observeCommand({ type: 'funding.DecideGrant', outcome: 'rejected', code: 'GRANT.OVER_BUDGET', seconds: 0.01 });
    const text = await metrics.registry.metrics();
    expect(text).toContain('erbm_commands_total{type="funding.DecideGrant",outcome="accepted",code="none"} 1');
    expect(text).toContain('erbm_commands_total{type="funding.DecideGrant",outcome="rejected",code="GRANT.OVER_BUDGET"} 2');
  });
});

describe('startTracing', () => {
  it('is off unless OTEL_TRACES_EXPORTER lists otlp, and refuses exporters it does not ship', () => {
    expect(startTracing('erbm-test', {})).toBeNull();
    expect(startTracing('erbm-test', { OTEL_TRACES_EXPORTER: 'none' })).toBeNull();
    expect(() => startTracing('erbm-test', { OTEL_TRACES_EXPORTER: 'jaeger' })).toThrow('OTEL_TRACES_EXPORTER: only otlp (or none) is supported, got "jaeger"');
  });
});

describe('job spans', () => {
  const exporter = new InMemorySpanExporter();
  beforeAll(() => startTracing('erbm-test', {}, new SimpleSpanProcessor(exporter)));

  it('wrap a job in a span job <name>, failed when the job fails, and log lines inside carry its trace id', async () => {
    const { log, lines } = memoryLogger();
    await inJobSpan({ name: 'import.commands', id: 'imp-1', attempt: 1 }, () => {
      log.info('inside the job');
      return Promise.resolve();
    });
    await expect(inJobSpan({ name: 'report.bilan', id: 'r-1', attempt: 2 }, () => Promise.reject(new Error('disk full')))).rejects.toThrow('disk full');
    const [ok, failed] = exporter.getFinishedSpans();
    expect(ok.name).toBe('job import.commands');
    expect(ok.attributes).toEqual({ 'erbm.job.name': 'import.commands', 'erbm.job.id': 'imp-1', 'erbm.job.attempt': 1 });
    expect(ok.status.code).toBe(0);
    expect(lines[0]).toMatchObject({ msg: 'inside the job', traceId: ok.spanContext().traceId, spanId: ok.spanContext().spanId });
    expect(failed.name).toBe('job report.bilan');
    expect(failed.status).toEqual({ code: 2, message: 'disk full' });
  });
});
