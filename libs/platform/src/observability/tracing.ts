import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

/** A started tracer provider; `shutdown` flushes the spans still buffered. */
export interface Tracing {
  shutdown(): Promise<void>;
}

/**
 * Starts OpenTelemetry tracing for this process, or does nothing (returns null): tracing is OFF unless
 * `OTEL_TRACES_EXPORTER` lists `otlp` (the standard variable; the SDK's own default would be `otlp`, ours is none).
 * The OTLP/HTTP exporter reads the standard `OTEL_EXPORTER_OTLP_ENDPOINT` (default `http://localhost:4318`, spans
 * posted to `/v1/traces`) or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, and `OTEL_EXPORTER_OTLP_HEADERS`; the service is
 * `OTEL_SERVICE_NAME`, else `service`. Registers the provider globally with the W3C trace-context propagator and
 * the AsyncLocalStorage context manager, so the spans of the API (`observeHttp`), the command executor and the
 * projection runner are recorded. `processor` replaces the exporter (tests: an in-memory exporter), and turns
 * tracing on whatever the environment says. Call it before the application is created.
 * @throws Error when `OTEL_TRACES_EXPORTER` names an exporter other than `otlp` or `none`.
 */
export function startTracing(service: string, env: NodeJS.ProcessEnv = process.env, processor?: SpanProcessor): Tracing | null {
  const exporters = (env.OTEL_TRACES_EXPORTER ?? 'none')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
  const unknown = exporters.filter((e) => e !== 'otlp' && e !== 'none');
  if (unknown.length > 0) throw new Error(`OTEL_TRACES_EXPORTER: only otlp (or none) is supported, got "${unknown.join(', ')}"`);
  if (!processor && !exporters.includes('otlp')) return null;
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME || service }),
    spanProcessors: [processor ?? new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  provider.register();
  return { shutdown: () => provider.shutdown() };
}

const jobTracer = trace.getTracer('erbm.jobs');

/**
 * Runs a job's processor in an active span `job <name>` (kind CONSUMER; attributes `erbm.job.name`, `erbm.job.id`,
 * `erbm.job.attempt`), so that the commands of an import job are its children. A failure marks the span as failed.
 */
export function inJobSpan<T>(job: { name: string; id: string; attempt: number }, fn: () => Promise<T>): Promise<T> {
  return jobTracer.startActiveSpan(`job ${job.name}`, { kind: SpanKind.CONSUMER, attributes: { 'erbm.job.name': job.name, 'erbm.job.id': job.id, 'erbm.job.attempt': job.attempt } }, async (span) => {
    try {
      return await fn();
    } catch (e) {
      span.recordException(e as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (e as Error).message });
      throw e;
    } finally {
      span.end();
    }
  });
}
