import { type NextFunction, type Request, type Response } from 'express';
import { RequestInvalid, RequestRejected } from './problem-details.filter';

/** Deepest nesting of arrays and objects accepted in a JSON body (commands nest 3 levels at most). */
export const MAX_BODY_DEPTH = 16;

const JSON_TYPE = /^application\/(?:[a-z0-9.+-]*\+)?json\s*(?:;|$)/i;

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * Before the JSON parser: a request carrying a body that is not JSON gets 415 REQUEST.UNSUPPORTED_MEDIA_TYPE
 * (instead of being read as an empty command).
 */
export function requireJsonBody(req: Request, _res: Response, next: NextFunction): void {
  // An import file already read by importBody (POST /imports) is a string: nothing more to check here.
  if (typeof req.body === 'string') {
    next();
    return;
  }
  if (hasBody(req) && !JSON_TYPE.test(req.headers['content-type'] ?? '')) {
    next(new RequestRejected(415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE', 'The request body must be application/json'));
    return;
  }
  next();
}

/**
 * After the JSON parser: turns its errors into problems with stable codes before Nest sees them (Nest would turn a
 * JSON syntax error into a bare 400 and lose its type): REQUEST.MALFORMED_JSON (400), REQUEST.TOO_LARGE (413),
 * REQUEST.UNSUPPORTED_ENCODING (415), REQUEST.BODY_UNREADABLE (400). Other errors pass on unchanged.
 */
export function bodyParserErrors(err: unknown, _req: Request, _res: Response, next: NextFunction): void {
  const e = err as { status?: unknown; type?: unknown; message?: unknown } | null;
  if (!e || typeof e.status !== 'number' || e.status < 400 || e.status >= 500 || typeof e.type !== 'string') {
    next(err);
    return;
  }
  const message = typeof e.message === 'string' ? e.message : 'The request body could not be read';
  switch (e.type) {
    case 'entity.parse.failed':
      next(new RequestRejected(400, 'REQUEST.MALFORMED_JSON', `The body is not a JSON object or array: ${message}`));
      return;
    case 'entity.too.large':
      next(new RequestRejected(413, 'REQUEST.TOO_LARGE', `The body exceeds the limit (${message})`));
      return;
    case 'encoding.unsupported':
    case 'charset.unsupported':
      next(new RequestRejected(415, 'REQUEST.UNSUPPORTED_ENCODING', message));
      return;
    default:
      next(new RequestRejected(400, 'REQUEST.BODY_UNREADABLE', message));
  }
}

/** Keys the DTO layer would drop silently (class-transformer skips them), so they are refused here as unknown fields. */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Depth of the deepest nesting (up to `limit + 1`) and the path of the first reserved key, walked iteratively. */
function inspect(body: unknown, limit: number): { depth: number; reservedKey: string | null } {
  // Iterative, so a hostile body cannot exhaust the stack before it is refused.
  let depth = 0;
  const stack: [unknown, number, string][] = [[body, 0, '']];
  while (stack.length) {
    const [value, parentDepth, path] = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    const d = parentDepth + 1;
    depth = Math.max(depth, d);
    if (depth > limit) return { depth, reservedKey: null };
    for (const key of Object.keys(value)) {
      const childPath = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      if (!Array.isArray(value) && RESERVED_KEYS.has(key)) return { depth, reservedKey: childPath };
      stack.push([(value as Record<string, unknown>)[key], d, childPath]);
    }
  }
  return { depth, reservedKey: null };
}

/**
 * After the JSON parser: bodies nested deeper than MAX_BODY_DEPTH get 400 REQUEST.TOO_DEEP; a `__proto__`,
 * `constructor` or `prototype` key anywhere gets 400 REQUEST.INVALID naming it, like any unknown field.
 */
export function screenBody(req: Request, _res: Response, next: NextFunction): void {
  const { depth, reservedKey } = inspect(req.body, MAX_BODY_DEPTH);
  if (depth > MAX_BODY_DEPTH) {
    next(new RequestRejected(400, 'REQUEST.TOO_DEEP', `The body nests objects or arrays more than ${MAX_BODY_DEPTH} levels deep`));
    return;
  }
  if (reservedKey !== null) {
    next(new RequestInvalid([{ field: reservedKey, rule: 'whitelistValidation', message: `property ${reservedKey} should not exist` }]));
    return;
  }
  next();
}
