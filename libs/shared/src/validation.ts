import { type FieldViolation, invalid } from './errors';
import { isIsoDate } from './dates';

const NOT_STORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** False for text PostgreSQL cannot store in jsonb: NUL characters and unpaired UTF-16 surrogates. */
export const isStorableText = (s: string): boolean => !NOT_STORABLE.test(s);

/**
 * Small, explicit validators for command data coming from imports and the API. The HTTP edge validates DTOs with
 * class-validator first; these guards keep the domain safe when commands arrive from the CLI import path too.
 * Each collects violations so a caller sees every bad field at once.
 */
export class Check {
  readonly violations: FieldViolation[] = [];

  constructor(private readonly data: Record<string, unknown>, private readonly prefix = '') {}

  private add(field: string, rule: string, message: string): void {
    this.violations.push({ field: this.prefix + field, rule, message });
  }

  private get(field: string): unknown {
    return this.data?.[field];
  }

  /** True when the field is present and not null. */
  has(field: string): boolean {
    const v = this.get(field);
    return v !== undefined && v !== null;
  }

  string(field: string, max = 256, pattern?: RegExp): string {
    const v = this.get(field);
    if (typeof v !== 'string' || v.trim() === '') this.add(field, 'isNonEmptyString', 'must be a non-empty string');
    else if (!isStorableText(v)) this.add(field, 'isStorableText', 'must not contain NUL characters or unpaired surrogates');
    else if (v.length > max) this.add(field, 'maxLength', `must be at most ${max} characters`);
    else if (pattern && !pattern.test(v)) this.add(field, 'matches', `must match ${pattern.source}`);
    return v as string;
  }

  optionalString(field: string, max = 256): string | null {
    const v = this.get(field);
    if (v === undefined || v === null) return null;
    return this.string(field, max);
  }

  id(field: string): string {
    return this.string(field, 80, /^[a-z0-9][a-z0-9-]{0,79}$/);
  }

  code(field: string): string {
    return this.string(field, 40, /^[A-Z][A-Z0-9_]{1,39}$/);
  }

  optionalCode(field: string): string | null {
    const v = this.get(field);
    if (v === undefined || v === null) return null;
    return this.code(field);
  }

  date(field: string): string {
    const v = this.get(field);
    if (!isIsoDate(v)) this.add(field, 'isIsoDate', 'must be a date YYYY-MM-DD between 1900 and 2100');
    return v as string;
  }

  /** A non-negative (or, with `min`, bounded) safe integer. */
  integer(field: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
    const v = this.get(field);
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) this.add(field, 'isInt', 'must be an integer');
    else if (v < min) this.add(field, 'min', `must be at least ${min}`);
    else if (v > max) this.add(field, 'max', `must be at most ${max}`);
    return v as number;
  }

  optionalInteger(field: string, min = 0, max = Number.MAX_SAFE_INTEGER): number | null {
    const v = this.get(field);
    if (v === undefined || v === null) return null;
    return this.integer(field, min, max);
  }

  boolean(field: string): boolean {
    const v = this.get(field);
    if (typeof v !== 'boolean') this.add(field, 'isBoolean', 'must be true or false');
    return v as boolean;
  }

  oneOf<T extends string>(field: string, values: readonly T[]): T {
    const v = this.get(field);
    if (typeof v !== 'string' || !values.includes(v as T)) this.add(field, 'isIn', `must be one of ${values.join(', ')}`);
    return v as T;
  }

  object(field: string): Check {
    const v = this.get(field);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      this.add(field, 'isObject', 'must be an object');
      return new Check({}, `${this.prefix}${field}.`);
    }
    const nested = new Check(v as Record<string, unknown>, `${this.prefix}${field}.`);
    return this.adopt(nested);
  }

  array(field: string, minItems = 0, maxItems = 1000): Check[] {
    const v = this.get(field);
    if (!Array.isArray(v)) {
      this.add(field, 'isArray', 'must be an array');
      return [];
    }
    if (v.length < minItems) this.add(field, 'arrayMinSize', `must have at least ${minItems} item(s)`);
    if (v.length > maxItems) this.add(field, 'arrayMaxSize', `must have at most ${maxItems} items`);
    return v.slice(0, maxItems).map((item, i) => {
      if (typeof item !== 'object' || item === null) {
        this.add(`${field}[${i}]`, 'isObject', 'must be an object');
        return new Check({}, `${this.prefix}${field}[${i}].`);
      }
      return this.adopt(new Check(item as Record<string, unknown>, `${this.prefix}${field}[${i}].`));
    });
  }

  stringArray(field: string, minItems = 1, max = 120): string[] {
    const v = this.get(field);
    if (!Array.isArray(v) || v.length < minItems || v.some((s) => typeof s !== 'string' || s.trim() === '' || s.length > max || !isStorableText(s))) {
      this.add(field, 'isStringArray', `must be an array of at least ${minItems} non-empty string(s)`);
      return [];
    }
    return v as string[];
  }

  /** Rejects keys not listed, so typos never pass silently. */
  only(...allowed: string[]): this {
    for (const key of Object.keys(this.data ?? {})) {
      if (!allowed.includes(key)) this.add(key, 'whitelist', 'is not a known field');
    }
    return this;
  }

  private children: Check[] = [];
  private adopt(child: Check): Check {
    this.children.push(child);
    return child;
  }

  private all(): FieldViolation[] {
    return [...this.violations, ...this.children.flatMap((c) => c.all())];
  }

  /** @throws DomainError COMMAND.INVALID listing every violation, when any. */
  done(): void {
    const all = this.all();
    if (all.length > 0) throw invalid(all);
  }
}
