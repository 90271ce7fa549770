import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { ContentionError } from '@erbm/application';
import { DuplicateEventError, WrongExpectedVersionError } from '@erbm/event-store';
import { DomainError, type DomainErrorKind, type FieldViolation } from '@erbm/shared';
import { type Request, type Response } from 'express';
import { Forbidden, Unauthenticated, wwwAuthenticate } from '../auth/auth-errors';

/** RFC 9457 problem details, as every error of the API is returned (`application/problem+json`). */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  /** Stable error code, e.g. `OPERATION.DELIVERY_EXCEEDS_PLANNED` (catalogue: docs/api.md). */
  code: string;
  /** One entry per offending field of the request body, query or headers. */
  violations?: FieldViolation[];
  /** Health checks only: the state of each component (PostgreSQL, event store, Redis). */
  details?: unknown;
}

const STATUS: Record<DomainErrorKind, number> = {
  validation: 400,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  concurrency: 412,
  rule: 422,
  unavailable: 503,
};

const TITLES: Record<number, string> = {
  400: 'Requête invalide',
  401: 'Authentification requise',
  403: 'Action non autorisée',
  404: 'Ressource introuvable',
  405: 'Méthode non autorisée',
  409: 'Conflit',
  412: 'Version obsolète',
  413: 'Corps de requête trop volumineux',
  415: 'Type de contenu non pris en charge',
  422: 'Règle métier non respectée',
  429: 'Trop de requêtes',
  500: 'Erreur interne',
  503: 'Service momentanément indisponible',
};

/** Thrown by the HTTP edge for request-level validation (query strings, headers), with field violations. */
export class RequestInvalid extends HttpException {
  constructor(readonly violations: FieldViolation[]) {
    super({ violations }, HttpStatus.BAD_REQUEST);
  }
}

/** Thrown by the HTTP edge when the request itself is refused (body not JSON, too large, too deep…), with a stable code. */
export class RequestRejected extends HttpException {
  constructor(status: number, readonly code: string, detail: string) {
    super(detail, status);
  }
}

/** Codes of framework HTTP errors (routing, bad URL encoding) that carry no code of their own. */
const HTTP_CODES: Record<number, string> = {
  400: 'REQUEST.INVALID',
  401: 'AUTH.UNAUTHENTICATED',
  403: 'AUTH.FORBIDDEN',
  404: 'ROUTE.NOT_FOUND',
  405: 'REQUEST.METHOD_NOT_ALLOWED',
  413: 'REQUEST.TOO_LARGE',
  415: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMIT.EXCEEDED',
};

/**
 * Maps every error to problem+json. Domain errors carry their kind (validation 400, forbidden 403, not-found 404,
 * conflict 409, concurrency 412, rule 422); framework errors keep their HTTP status; anything else is a 500 whose
 * details are logged, never sent.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    const problem = this.toProblem(exception, req.originalUrl ?? req.url);
    if (problem.status >= 500) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    if (problem.status === 401) res.setHeader('WWW-Authenticate', wwwAuthenticate(problem.code, problem.detail));
    if (problem.status === 429 && !res.getHeader('Retry-After')) res.setHeader('Retry-After', '60');
    // A command that lost every race for its stream (409 COMMAND.CONTENTION) says when to try again.
    if (exception instanceof ContentionError) res.setHeader('Retry-After', String(exception.retryAfterSeconds));
    res.status(problem.status).type('application/problem+json').json(problem);
  }

  private toProblem(e: unknown, instance: string): ProblemDetails {
    const make = (status: number, code: string, detail: string, violations?: FieldViolation[]): ProblemDetails => ({
      type: `https://erbm.invalid/problems/${code.toLowerCase().replace(/[._]/g, '-')}`,
      title: TITLES[status] ?? 'Erreur',
      status,
      detail,
      instance,
      code,
      ...(violations && violations.length ? { violations } : {}),
    });
    if (e instanceof DomainError) return make(STATUS[e.kind], e.code, e.message, e.violations);
    if (e instanceof WrongExpectedVersionError) return make(412, 'COMMAND.STALE_VERSION', e.message);
    if (e instanceof DuplicateEventError) return make(409, 'COMMAND.DUPLICATE_EVENT', e.message);
    if (e instanceof RequestInvalid) return make(400, 'REQUEST.INVALID', e.violations.map((v) => `${v.field}: ${v.message}`).join('; '), e.violations);
    if (e instanceof RequestRejected) return make(e.getStatus(), e.code, e.message);
    if (e instanceof Unauthenticated || e instanceof Forbidden) return make(e.getStatus(), e.code, e.message);
    if (e instanceof HttpException && e.getStatus() === 429) return make(429, 'RATE_LIMIT.EXCEEDED', 'Too many requests for this API client; retry after the number of seconds in Retry-After');
    if (e instanceof HttpException) {
      const status = e.getStatus();
      const body = e.getResponse() as { message?: unknown; violations?: FieldViolation[]; details?: unknown } | string;
      const violations = typeof body === 'object' ? body.violations : undefined;
      const message = typeof body === 'string' ? body : Array.isArray(body.message) ? body.message.join('; ') : String(body.message ?? e.message);
      const problem = make(status, HTTP_CODES[status] ?? `HTTP.${status}`, message, violations);
      // Health checks (terminus) report each component: kept as an extension member of the problem.
      return typeof body === 'object' && body.details && typeof body.details === 'object' ? { ...problem, details: body.details } : problem;
    }
    // body-parser errors (malformed JSON, payload too large) carry a status and a type
    const bp = e as { status?: number; type?: string; message?: string };
    if (typeof bp?.status === 'number' && bp.status >= 400 && bp.status < 500) {
      const code = bp.type === 'entity.too.large' ? 'REQUEST.TOO_LARGE' : bp.type === 'entity.parse.failed' ? 'REQUEST.MALFORMED_JSON' : `HTTP.${bp.status}`;
      return make(bp.status, code, bp.message ?? 'Bad request');
    }
    return make(500, 'INTERNAL', 'An unexpected error occurred; it has been logged.');
  }
}
