/**
 * Domain errors carry a stable string code (`OPERATION.DELIVERY_EXCEEDS_PLANNED`) and a kind. Only the HTTP edge
 * maps the kind to a status (see apps/api problem-details filter):
 * validation → 400, rule → 422, not-found → 404, conflict → 409, concurrency → 412, forbidden → 403,
 * unavailable → 503 (a backing service such as Redis is down; retry later).
 */
export type DomainErrorKind = 'validation' | 'rule' | 'not-found' | 'conflict' | 'concurrency' | 'forbidden' | 'unavailable';

export interface FieldViolation {
  /** Dotted path of the offending field in the command's `data`, e.g. `energyAfter.dpeClass`. */
  field: string;
  /** Rule name, e.g. `isPositiveInteger`, `notAfterPlanned`. */
  rule: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly kind: DomainErrorKind,
    message: string,
    readonly violations: FieldViolation[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** A business rule was broken by an otherwise well-formed command (HTTP 422). */
export const ruleViolated = (code: string, message: string, field?: string): DomainError =>
  new DomainError(code, 'rule', message, field ? [{ field, rule: code, message }] : []);

/** The command refers to something that does not exist (HTTP 404). */
export const notFound = (code: string, message: string, field?: string): DomainError =>
  new DomainError(code, 'not-found', message, field ? [{ field, rule: code, message }] : []);

/** The thing the command creates already exists with other content (HTTP 409). */
export const conflict = (code: string, message: string): DomainError => new DomainError(code, 'conflict', message);

/** The acting organisation may not do this (HTTP 403). */
export const forbidden = (code: string, message: string): DomainError => new DomainError(code, 'forbidden', message);

/** Malformed input (HTTP 400), with one violation per field. */
export const invalid = (violations: FieldViolation[]): DomainError =>
  new DomainError(
    'COMMAND.INVALID',
    'validation',
    violations.map((v) => `${v.field}: ${v.message}`).join('; '),
    violations,
  );

/** A backing service (queue, cache) is unavailable (HTTP 503); nothing was changed. */
export const unavailable = (code: string, message: string): DomainError => new DomainError(code, 'unavailable', message);
