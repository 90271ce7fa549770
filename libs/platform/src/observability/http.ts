import { SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import { type NextFunction, type Request, type Response } from 'express';
import { type Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { randomUUID } from 'node:crypto';
import { type Metrics } from './metrics';
import { correlationIdFrom, requestContext } from './request-context';

const tracer = trace.getTracer('erbm.http');

/** The route template that matched (`/operations/:operationId`), or `unmatched` (bounded label values). */
export function routeOf(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${req.baseUrl ?? ''}${path}` : 'unmatched';
}

/** The correlation id given to a request by `observeHttp`. */
export const correlationIdOf = (req: Request): string | undefined => (typeof req.id === 'string' ? req.id : undefined);

/**
 * The first middleware of the API. For each request it:
 * 1. starts an OpenTelemetry SERVER span `<METHOD> <route template>`, child of an incoming W3C `traceparent`
 *    (a no-op unless tracing is on, docs/operations.md#observability) and active while the request is handled;
 * 2. gives the request its correlation id (`correlationIdFrom`: `X-Request-Id`, `X-Correlation-Id`, `traceparent`,
 *    else the span's trace id when tracing is on, else a fresh UUID) as `req.id`, and echoes it in `X-Request-Id`;
 * 3. makes pino-http log one JSON line when the response is finished (`correlationId`, `req.method`, `req.url`,
 *    `route`, `res.statusCode`, `responseTime` in ms; `warn` for 4xx, `error` for 5xx) and puts the request's child
 *    logger (`req.log`, with `correlationId`) in the request context, for every log line written while it is handled;
 * 4. observes `erbm_http_request_duration_seconds{method,route,status_code}`.
 * Headers (the `Authorization` credential among them) are never logged.
 */
export function observeHttp(logger: Logger, metrics: Metrics): (req: Request, res: Response, next: NextFunction) => void {
  const httpLogger = pinoHttp({
    logger,
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'correlationId' },
    serializers: {
      req: (r: { method?: string; url?: string }) => ({ method: r.method, url: r.url }),
      res: (r: { statusCode?: number }) => ({ statusCode: r.statusCode }),
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    customSuccessObject: (req, _res, value: object) => ({ ...value, route: routeOf(req as Request) }),
    customErrorObject: (req, _res, _err, value: object) => ({ ...value, route: routeOf(req as Request) }),
    customSuccessMessage: (req, res) => `${req.method} ${routeOf(req as Request)} ${res.statusCode}`,
    customErrorMessage: (req, res) => `${req.method} ${routeOf(req as Request)} ${res.statusCode}`,
  });
  // pino-http logs through a child made now, which would keep today's level: it follows the application logger's.
  logger.on('level-change', (level, _value, _previous, _previousValue, changed) => {
    if (changed === logger && httpLogger.logger.level !== level) httpLogger.logger.level = level;
  });

  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const parent = propagation.extract(context.active(), req.headers);
    const span = tracer.startSpan(req.method, { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method, 'url.path': req.path } }, parent);
    const traced = span.spanContext();
    const correlationId = correlationIdFrom(req.headers, () => (trace.isSpanContextValid(traced) && span.isRecording() ? traced.traceId : randomUUID()));
    span.setAttribute('erbm.correlation_id', correlationId);
    req.id = correlationId;
    res.setHeader('X-Request-Id', correlationId);

    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      const route = routeOf(req);
      const status = res.statusCode;
      metrics.httpDuration.observe({ method: req.method, route, status_code: String(status) }, Number(process.hrtime.bigint() - started) / 1e9);
      span.updateName(`${req.method} ${route}`);
      span.setAttributes({ 'http.route': route, 'http.response.status_code': status });
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    };
    res.once('finish', finish);
    res.once('close', finish);

    context.with(trace.setSpan(parent, span), () => {
      httpLogger(req, res, () => requestContext.run({ correlationId, log: req.log }, next));
    });
  };
}
