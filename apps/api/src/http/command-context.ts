import { randomUUID } from 'node:crypto';
import { type Channel } from '@erbm/event-store';
import { type Request } from 'express';
import { RequestInvalid } from './problem-details.filter';

/** What every write request says about itself, from its headers. */
export interface CommandContext {
  actor: { organisation: string; user: string; channel: Channel };
  /** `Idempotency-Key` header, else a fresh id (the write is then not protected against retries). */
  commandId: string;
  correlationId: string;
  /** From `If-Match: "<version>"` (the ETag of a previous read), if given. */
  expectedVersion?: number;
}

const ORGANISATION = /^(delegation|copil|(bailleur|epci|financer):[A-Z][A-Z0-9_]{1,39})$/;
const KEY = /^[A-Za-z0-9._:-]{1,120}$/;

/**
 * Reads the acting organisation (`X-Acting-Organisation`, e.g. `bailleur:MAISONS_ET_CITES`) and user
 * (`X-Acting-User`), `Idempotency-Key`, `X-Correlation-Id` and `If-Match`.
 * Until authentication lands (issue #3), the organisation is declared by the caller; the executor's owner check
 * already limits each organisation to its own operations, grants and declarations.
 * @throws RequestInvalid (400) naming the bad header.
 */
export function commandContext(req: Request): CommandContext {
  const violations = [];
  const organisation = req.header('x-acting-organisation') ?? '';
  if (!ORGANISATION.test(organisation)) {
    violations.push({ field: 'header:X-Acting-Organisation', rule: 'matches', message: 'must be delegation, bailleur:<CODE>, epci:<CODE> or financer:<CODE>' });
  }
  const user = req.header('x-acting-user') ?? 'api';
  if (user.length > 200) violations.push({ field: 'header:X-Acting-User', rule: 'maxLength', message: 'must be at most 200 characters' });
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
  const correlation = req.header('x-correlation-id');
  return {
    actor: { organisation, user, channel: 'api' },
    commandId: key ?? `api-${randomUUID()}`,
    correlationId: correlation && KEY.test(correlation) ? correlation : randomUUID(),
    expectedVersion,
  };
}
