import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { type Logger } from 'pino';

/** What the code running for one HTTP request (or one job) knows about it, through AsyncLocalStorage. */
export interface RequestContext {
  /** The correlation id: logged on every line, put in the command envelope and the events' metadata. */
  correlationId: string;
  /** The request's pino child logger (it carries `correlationId`); the Nest logger adapter writes through it. */
  log?: Logger;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

/** The correlation id of the request or job in progress, if any. */
export const currentCorrelationId = (): string | undefined => requestContext.getStore()?.correlationId;

/** The characters and length accepted for a caller's id (the same rule as `Idempotency-Key`). */
const CALLER_ID = /^[A-Za-z0-9._:-]{1,120}$/;
/** W3C trace context: `00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>`. */
const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

type HeaderValue = string | string[] | undefined;
const first = (v: HeaderValue): string | undefined => (Array.isArray(v) ? v[0] : v)?.trim();

/**
 * The correlation id of an incoming request, from its headers (lower-case names, as Node gives them):
 * `X-Request-Id`, else `X-Correlation-Id`, when they match `[A-Za-z0-9._:-]{1,120}`; else the trace id (32 hex) of a
 * valid W3C `traceparent`; else `fallback()` (a fresh UUID by default). A malformed header is ignored, not refused.
 */
export function correlationIdFrom(headers: Record<string, HeaderValue>, fallback: () => string = randomUUID): string {
  for (const name of ['x-request-id', 'x-correlation-id']) {
    const v = first(headers[name]);
    if (v && CALLER_ID.test(v)) return v;
  }
  const m = TRACEPARENT.exec(first(headers.traceparent)?.toLowerCase() ?? '');
  if (m && !/^0+$/.test(m[1])) return m[1];
  return fallback();
}
