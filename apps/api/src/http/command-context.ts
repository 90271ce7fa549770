import { randomUUID } from 'node:crypto';
import { type Channel } from '@erbm/event-store';
import { correlationIdFrom, correlationIdOf } from '@erbm/platform';
import { type Request } from 'express';
import { principalOf } from '../auth/roles';
import { RequestInvalid } from './problem-details.filter';

/** What every write request says about itself, from its headers. */
export interface CommandContext {
  actor: { organisation: string; user: string; channel: Channel; clientId: string };
  /** `Idempotency-Key` header, else a fresh id (the write is then not protected against retries). */
  commandId: string;
  /** The request's correlation id (`X-Request-Id`, `X-Correlation-Id`, `traceparent`…; see `observeHttp`). */
  correlationId: string;
  /** From `If-Match: "<version>"` (the ETag of a previous read), if given. */
  expectedVersion?: number;
}

const KEY = /^[A-Za-z0-9._:-]{1,120}$/;

/**
 * The actor comes from the authenticated principal (AccessGuard): its organisation and client id, and as user the
 * token's `email`/`sub` — or, for an API key, the optional `X-Acting-User` label (default: the client id).
 * `X-Acting-Organisation` is ignored. Also reads `Idempotency-Key` and `If-Match`; the correlation id is the one
 * `observeHttp` gave the request (echoed in the `X-Request-Id` response header).
 * @throws RequestInvalid (400) naming the bad header; 401 when no principal is on the request.
 */
export function commandContext(req: Request): CommandContext {
  const principal = principalOf(req);
  const violations = [];
  const label = req.header('x-acting-user');
  const user = principal.user ?? label ?? principal.clientId;
  if (label !== undefined && label.length > 200) violations.push({ field: 'header:X-Acting-User', rule: 'maxLength', message: 'must be at most 200 characters' });
  const key = req.header('idempotency-key');
  if (key !== undefined && !KEY.test(key)) violations.push({ field: 'header:Idempotency-Key', rule: 'matches', message: 'must match [A-Za-z0-9._:-]{1,120}' });
  const ifMatch = req.header('if-match');
  let expectedVersion: number | undefined;
  if (ifMatch !== undefined) {
    const m = /^(?:W\/)?"?(\d{1,9})"?$/.exec(ifMatch.trim());
    if (!m) violations.push({ field: 'header:If-Match', rule: 'isETag', message: 'must be an ETag returned by a read, e.g. "3"' });
    else expectedVersion = Number(m[1]);
  }
  if (violations.length) throw new RequestInvalid(violations);
  return {
    actor: { organisation: principal.organisation, user, channel: 'api', clientId: principal.clientId },
    commandId: key ?? `api-${randomUUID()}`,
    correlationId: correlationIdOf(req) ?? correlationIdFrom(req.headers),
    expectedVersion,
  };
}
