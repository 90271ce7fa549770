import { buildRegistry } from '@erbm/application';
import { DomainError } from '@erbm/shared';
import { COMMAND_SCHEMAS, commandSchema, validateCommandData } from './command-schemas';

/**
 * One schema per command (ADR 0017): the schema classes are the input contract of the API, the OpenAPI document and
 * the import rows. These tests keep the domain's own `parse` in step with them.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Class = new (...args: any[]) => object;
interface PropertyDoc {
  type?: unknown;
  isArray?: boolean;
}

/** The properties a schema class declares in the OpenAPI document (the swagger metadata the document is built from). */
function properties(cls: Class): [string, PropertyDoc][] {
  const names = (Reflect.getMetadata('swagger/apiModelPropertiesArray', cls.prototype) as string[] | undefined) ?? [];
  return names.map((n) => n.replace(/^:/, '')).map((name) => [name, (Reflect.getMetadata('swagger/apiModelProperties', cls.prototype, name) ?? {}) as PropertyDoc]);
}

const isClass = (t: unknown): t is Class => typeof t === 'function' && ![String, Number, Boolean, Object, Array].includes(t as never) && properties(t as Class).length > 0;

/** An object with every property the schema declares, nested objects and arrays of objects filled the same way; leaves hold a junk value. */
function skeleton(cls: Class): Record<string, unknown> {
  return Object.fromEntries(
    properties(cls).map(([name, doc]) => {
      const nested = isClass(doc.type) ? skeleton(doc.type) : undefined;
      return [name, doc.isArray ? [nested ?? '~'] : (nested ?? '~')];
    }),
  );
}

/** The dotted paths of a skeleton, arrays as `[0]`, as the domain names its violations. */
function paths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return [prefix, ...value.flatMap((v, i) => paths(v, `${prefix}[${i}]`))];
  if (typeof value !== 'object' || value === null) return [prefix];
  return [prefix, ...Object.entries(value).flatMap(([k, v]) => paths(v, prefix ? `${prefix}.${k}` : k))].filter(Boolean);
}

function parseViolations(type: string, data: unknown): { field: string; rule: string }[] {
  const useCase = buildRegistry().get(type)!;
  try {
    useCase.parse(data);
    return [];
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    return e.violations;
  }
}

describe('command schemas', () => {
  const registered = [...buildRegistry().keys()];

  it('cover every command type of the bounded contexts but identity (its commands have their own endpoints and no import)', () => {
    expect(registered.filter((t) => !t.startsWith('identity.') && !commandSchema(t))).toEqual([]);
    expect(COMMAND_SCHEMAS.map((s) => s.type).filter((t) => !registered.includes(t))).toEqual([]);
  });

  it('reads the nested objects and arrays of a schema, path parameters included', () => {
    expect(paths(skeleton(commandSchema('operation.ProgrammeLogementsOperation')!.data))).toEqual(expect.arrayContaining(['lots[0].lotType', 'plannedDates.travaux', 'operationId']));
    expect(paths(skeleton(commandSchema('operation.CorrectLogementsDelivery')!.data))).toEqual(expect.arrayContaining(['operationId', 'deliveryId', 'energyAfter.dpeClass', 'reason']));
  });

  it.each(COMMAND_SCHEMAS.map((s) => [s.type, s] as const))('%s: the domain parse knows every field of the schema and checks no field the schema lacks', (type, schema) => {
    const data = skeleton(schema.data);
    expect(Object.keys(data).length).toBeGreaterThan(0);
    const violations = parseViolations(type, data);
    expect(violations.filter((v) => v.rule === 'whitelist')).toEqual([]);
    const declared = new Set(paths(data));
    expect(violations.map((v) => v.field).filter((f) => !declared.has(f))).toEqual([]);
  });

  it.each(COMMAND_SCHEMAS.map((s) => [s.type, s] as const))('%s: the schema and the domain both refuse an unknown field', (type, schema) => {
    const data = { ...skeleton(schema.data), zzUnknown: 1 };
    expect(parseViolations(type, data)).toContainEqual(expect.objectContaining({ field: 'zzUnknown', rule: 'whitelist' }));
    expect(() => validateCommandData(type, data)).toThrow(expect.objectContaining({ code: 'COMMAND.INVALID', violations: expect.arrayContaining([expect.objectContaining({ field: 'zzUnknown', rule: 'whitelistValidation' })]) }));
  });
});

describe('validateCommandData (every channel, on the command bus)', () => {
  const delivery = {
    operationId: 'op-darcy-t1',
    deliveryId: 'l-2021-05',
    deliveredOn: '2021-05-20',
    logements: 12,
    energyBefore: { primaryEnergyKwhPerM2Year: 300, dpeClass: 'E', dpeScale: '2021' },
    energyAfter: { primaryEnergyKwhPerM2Year: 100, dpeClass: 'B', dpeScale: '2021' },
  };

  it('returns valid data as a plain object, unchanged', () => {
    const out = validateCommandData('operation.RecordLogementsDelivery', delivery);
    expect(out).toEqual(delivery);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });

  it('refuses with COMMAND.INVALID the rules of the HTTP body, with the same field names and rules', () => {
    const bad = { ...delivery, logements: '12', energyAfter: { ...delivery.energyAfter, dpeClass: 'H' } };
    expect(() => validateCommandData('operation.RecordLogementsDelivery', bad)).toThrow(
      expect.objectContaining({
        code: 'COMMAND.INVALID',
        kind: 'validation',
        violations: expect.arrayContaining([expect.objectContaining({ field: 'logements', rule: 'isInt' }), expect.objectContaining({ field: 'energyAfter.dpeClass', rule: 'isIn' })]),
      }),
    );
  });

  it('sets the optional nullable fields to null when absent, as the domain reads them', () => {
    const declaration = {
      declarationId: 'ins-1',
      epciCode: 'CAHC',
      marcheRef: 'M-1',
      periodStart: '2021-01-01',
      periodEnd: '2021-06-30',
      hours: 10,
      participants: { deld: 1, rsa: 0, jeunes: 0, rqth: 0, autres: 0 },
      recruitments: { deld: 0, rsa: 0, jeunes: 0, rqth: 0, autres: 0 },
    };
    expect(validateCommandData('insertion.DeclareInsertionHours', declaration)).toEqual({ ...declaration, operationId: null });
  });

  it('leaves data of a type without schema, or that is not an object, to the use case', () => {
    expect(validateCommandData('identity.IssueApiKey', { clientId: 'c' })).toEqual({ clientId: 'c' });
    expect(validateCommandData('operation.RecordLogementsDelivery', '{"x":1}')).toBe('{"x":1}');
  });
});
