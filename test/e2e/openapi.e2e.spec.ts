import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { type TestApi as TestApiType, TestApi, expectStatus } from './support/api';
import { DELEGATION, ETAT, SIA, command, energy, logementsOperationInTravaux, registerReferenceData } from './support/scenario';

/**
 * The served OpenAPI document is one clients can trust (issue #9, part 6): `redocly lint` (recommended ruleset)
 * finds no error; every operation declares its security, its success schema and its problem+json answers; and what
 * the API answers matches what the document says (Swagger UI's "Try it out" after Authorize, the 403 of roles, the
 * JSON bodies against their schemas).
 */

interface Schema {
  $ref?: string;
  type?: string;
  nullable?: boolean;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  example?: unknown;
  format?: string;
}
interface Parameter {
  name: string;
  in: 'query' | 'path' | 'header';
  required?: boolean;
  example?: unknown;
  schema?: Schema;
}
interface MediaType {
  schema?: Schema;
}
interface Operation {
  parameters?: Parameter[];
  security?: Record<string, string[]>[];
  responses: Record<string, { description: string; headers?: Record<string, unknown>; content?: Record<string, MediaType> }>;
}
interface SecurityScheme {
  type: string;
  scheme?: string;
  in?: string;
  name?: string;
}
interface Document {
  security?: Record<string, string[]>[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; securitySchemes: Record<string, SecurityScheme> };
}
interface LintProblem {
  severity: 'error' | 'warn';
  ruleId: string;
  message: string;
  pointer: string;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const PUBLIC = ['get /health'];
const PROBLEM_REF = '#/components/schemas/ProblemDetailsDto';
const ROOT = resolve(__dirname, '..', '..');

/**
 * Lints an OpenAPI document with @redocly/openapi-core's recommended ruleset (`createConfig` + `lintFromString`),
 * in a child Node process: the library is ESM-only, which Node loads natively and Jest's CommonJS sandbox does not.
 */
function redoclyLint(document: string): LintProblem[] {
  const script = `
    import { createConfig, lintFromString } from '@redocly/openapi-core';
    let source = '';
    for await (const chunk of process.stdin) source += chunk;
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({ source, absoluteRef: 'openapi.json', config });
    process.stdout.write(JSON.stringify(problems.map((p) => ({ severity: p.severity, ruleId: p.ruleId, message: p.message, pointer: p.location?.[0]?.pointer ?? '' }))));
  `;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, input: document, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 })) as LintProblem[];
}

const operations = (doc: Document): { method: string; path: string; op: Operation }[] =>
  Object.entries(doc.paths).flatMap(([path, item]) => METHODS.filter((m) => item[m]).map((method) => ({ method, path, op: item[method] })));

const exampleOf = (p: Parameter): unknown => p.example ?? p.schema?.example;

/** The path with each `{param}` replaced by its documented example. */
const concretePath = (path: string, op: Operation): string =>
  path.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(String(exampleOf(op.parameters?.find((p) => p.in === 'path' && p.name === name) ?? { name, in: 'path' }) ?? 'x')));

/** The query string of the operation's required query parameters, filled from their examples. */
const requiredQuery = (op: Operation): Record<string, string> =>
  Object.fromEntries((op.parameters ?? []).filter((p) => p.in === 'query' && p.required).map((p) => [p.name, String(exampleOf(p))]));

/**
 * Where `value` departs from `schema` (OpenAPI 3.0 subset: $ref, allOf / anyOf / oneOf, nullable, type, enum,
 * properties, required, additionalProperties, items). Strict on objects: a property the schema does not list is a
 * departure unless `additionalProperties` allows it, so every field the API returns is documented.
 */
function departures(doc: Document, schema: Schema, value: unknown, at = '$'): string[] {
  if (schema.$ref) return departures(doc, doc.components.schemas[schema.$ref.replace('#/components/schemas/', '')], value, at);
  if (value === null) {
    const nullable = schema.nullable === true || (schema.anyOf ?? schema.oneOf ?? schema.allOf ?? []).some((s) => s.nullable === true);
    return nullable || (!schema.type && !schema.allOf && !schema.anyOf && !schema.oneOf && !schema.properties) ? [] : [`${at}: null but not nullable`];
  }
  if (schema.allOf) {
    // `{ nullable, type: 'object', allOf: [{ $ref }] }` (a nullable DTO): the members say it all.
    const out = schema.allOf.flatMap((s) => departures(doc, s, value, at));
    if (out.length || !schema.properties) return out;
  }
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives && !alternatives.some((s) => departures(doc, s, value, at).length === 0)) return [`${at}: matches none of the alternatives`];
  if (schema.enum && !schema.enum.includes(value)) return [`${at}: ${JSON.stringify(value)} not in ${JSON.stringify(schema.enum)}`];
  const type: string = schema.type ?? (schema.properties ? 'object' : 'any');
  switch (type) {
    case 'string':
      return typeof value === 'string' ? [] : [`${at}: expected a string, got ${JSON.stringify(value)}`];
    case 'number':
      return typeof value === 'number' ? [] : [`${at}: expected a number, got ${JSON.stringify(value)}`];
    case 'integer':
      return Number.isInteger(value) ? [] : [`${at}: expected an integer, got ${JSON.stringify(value)}`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${at}: expected a boolean, got ${JSON.stringify(value)}`];
    case 'array':
      return Array.isArray(value) ? value.flatMap((v, i) => (schema.items ? departures(doc, schema.items, v, `${at}[${i}]`) : [])) : [`${at}: expected an array`];
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) return [`${at}: expected an object`];
      const obj = value as Record<string, unknown>;
      const out = (schema.required ?? []).filter((k) => !(k in obj)).map((k) => `${at}.${k}: required but missing`);
      for (const [k, v] of Object.entries(obj)) {
        const prop = schema.properties?.[k];
        if (prop) out.push(...departures(doc, prop, v, `${at}.${k}`));
        else if (typeof schema.additionalProperties === 'object') out.push(...departures(doc, schema.additionalProperties, v, `${at}.${k}`));
        else if (schema.additionalProperties !== true) out.push(`${at}.${k}: not documented`);
      }
      return out;
    }
    default:
      return [];
  }
}

describe('OpenAPI document (GET /docs/openapi.json)', () => {
  let api: TestApiType;
  let doc: Document;
  let served: string;

  beforeAll(async () => {
    api = await TestApi.start('openapi');
    // Some of everything, so that the reads answer non-empty arrays whose items are checked against their schemas.
    await registerReferenceData(api);
    await logementsOperationInTravaux(api, 'op-openapi', 120, SIA);
    await command(api, '/operations/op-openapi/deliveries', SIA, { deliveryId: 'l1', deliveredOn: '2021-01-20', logements: 60, energyBefore: energy(300, 'E'), energyAfter: energy(100, 'B') });
    await command(api, '/operations/op-openapi/deliveries/l1/corrections', SIA, { deliveredOn: '2021-01-20', logements: 58, energyBefore: energy(300, 'E'), energyAfter: energy(100, 'B'), reason: 'Deux logements comptés deux fois' });
    await command(api, '/grants', ETAT, {
      grantId: 'g-openapi',
      financerCode: 'ETAT',
      operationId: 'op-openapi',
      beneficiary: { kind: 'bailleur', code: 'SIA_HABITAT', name: 'SIA Habitat' },
      dispositif: 'aides-a-la-pierre',
      axisCode: '1a',
      amountCents: 96_000_000,
      conventionDate: '2020-02-10',
      decisionRef: null,
    });
    await command(api, '/grants/g-openapi/payments', ETAT, { paymentId: 'v1', paidOn: '2021-03-01', amountCents: 48_000_000 });
    const persons = (deld: number, rsa: number) => ({ deld, rsa, jeunes: 0, rqth: 0, autres: 0 });
    await command(api, '/insertion/declarations', SIA, {
      declarationId: 'ins-openapi',
      operationId: 'op-openapi',
      epciCode: 'CALL',
      marcheRef: 'SIA-2020-LOT3',
      periodStart: '2021-01-01',
      periodEnd: '2021-06-30',
      hours: 1200,
      participants: persons(3, 2),
      recruitments: persons(1, 1),
    });
    await api.project();
    const res = await api.get('/docs/openapi.json', null);
    expectStatus(res, 200);
    doc = res.body as Document;
    served = res.text;
  });
  afterAll(() => api.close());

  it('has no error under redocly lint (recommended ruleset)', () => {
    const problems = redoclyLint(served);
    const errors = problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId} at ${p.pointer}: ${p.message}`);
    expect(errors).toEqual([]);
  });

  it('declares two security schemes: bearer (Authorization) and api-key (X-API-Key)', () => {
    expect(doc.components.securitySchemes).toMatchObject({ bearer: { type: 'http', scheme: 'bearer' }, 'api-key': { type: 'apiKey', in: 'header', name: 'X-API-Key' } });
  });

  it('declares the security of every operation: bearer or X-API-Key, and none on /health', () => {
    const wrong = operations(doc)
      .map(({ method, path, op }) => ({ operation: `${method} ${path}`, security: op.security }))
      .filter(({ operation, security }) =>
        PUBLIC.includes(operation) ? JSON.stringify(security) !== '[]' : JSON.stringify(security) !== JSON.stringify([{ bearer: [] }, { 'api-key': [] }]),
      );
    expect(wrong).toEqual([]);
  });

  it('declares the schema of every success answer', () => {
    const missing = operations(doc)
      .filter(({ op }) => {
        const success = Object.entries(op.responses).filter(([status]) => /^2\d\d$/.test(status));
        return success.length === 0 || success.some(([, r]) => !r.content || Object.values(r.content).some((m) => !m.schema));
      })
      .map(({ method, path }) => `${method} ${path}`);
    expect(missing).toEqual([]);
  });

  it('declares every error answer as problem+json; 400, 401 and 429 on every authenticated operation, 404 on a GET only with a path parameter', () => {
    const problemFields = Object.keys(doc.components.schemas.ProblemDetailsDto.properties ?? {});
    const isProblem = (schema: Schema | undefined): boolean =>
      schema?.$ref === PROBLEM_REF || (!!schema?.$ref && problemFields.every((f) => f in (doc.components.schemas[schema.$ref!.replace('#/components/schemas/', '')].properties ?? {})));
    const wrong: string[] = [];
    for (const { method, path, op } of operations(doc)) {
      for (const [status, response] of Object.entries(op.responses)) {
        if (/^[45]\d\d$/.test(status) && !isProblem(response.content?.['application/problem+json']?.schema)) wrong.push(`${method} ${path} ${status}: not problem+json ProblemDetailsDto`);
      }
      if (PUBLIC.includes(`${method} ${path}`)) continue;
      for (const status of ['400', '401', '429']) if (!op.responses[status]) wrong.push(`${method} ${path}: no ${status}`);
      if (method === 'get' && op.responses['404'] && !path.includes('{')) wrong.push(`${method} ${path}: 404 without a path parameter`);
    }
    expect(wrong).toEqual([]);
  });

  it('"Try it out" after Authorize: every GET without path parameters answers 2xx with the délégation key sent as each security scheme declares (/health without one), and its JSON body matches its schema', async () => {
    const failures: string[] = [];
    const reads = operations(doc).filter(({ method, path }) => method === 'get' && !path.includes('{'));
    expect(reads.length).toBeGreaterThan(15);
    for (const { path, op } of reads) {
      // `security: []`: no credential; otherwise each alternative of the operation's security.
      for (const requirement of op.security?.length ? op.security : [{}]) {
        const name = Object.keys(requirement)[0];
        const scheme = name ? doc.components.securitySchemes[name] : undefined;
        if (scheme) expect(scheme.type === 'http' ? scheme.scheme : scheme.in).toBe(scheme.type === 'http' ? 'bearer' : 'header');
        const credential: Record<string, string> = !scheme ? {} : scheme.type === 'http' ? { Authorization: `Bearer ${api.adminKey}` } : { [scheme.name ?? '']: api.adminKey };
        const sentAs = Object.keys(credential)[0] ?? 'no credential';
        const res = await api.get(path, null).query(requiredQuery(op)).set(credential);
        const documented = op.responses[String(res.status)];
        if (res.status < 200 || res.status > 299) {
          failures.push(`GET ${path} with ${sentAs}: ${res.status} ${JSON.stringify(res.body)}`);
          continue;
        }
        const mediaType = String(res.headers['content-type']).split(';')[0];
        const schema = documented?.content?.[mediaType]?.schema;
        const missingHeaders = Object.keys(documented?.headers ?? {}).filter((h) => res.headers[h.toLowerCase()] === undefined);
        if (missingHeaders.length) failures.push(`GET ${path}: documented headers not sent: ${missingHeaders.join(', ')}`);
        if (!schema) failures.push(`GET ${path}: ${res.status} ${mediaType} is not documented`);
        else if (mediaType === 'application/json') failures.push(...departures(doc, schema, res.body).map((d) => `GET ${path}: ${d}`));
      }
    }
    expect(failures).toEqual([]);
  });

  it('documents the 403 of every operation whose roles refuse the comité de pilotage or a bailleur, and every 404 a GET gives for an unknown id', async () => {
    const undocumented: string[] = [];
    const keys = { copil: await api.keyFor('copil'), [SIA]: await api.keyFor(SIA) };
    for (const { method, path, op } of operations(doc)) {
      if (PUBLIC.includes(`${method} ${path}`)) continue;
      const url = concretePath(path, op);
      for (const [organisation, key] of Object.entries(keys)) {
        // The guard checks roles before anything reads the body: no command runs (an allowed one answers 400 to {}).
        const agent = api.raw(null) as unknown as Record<string, (p: string) => ReturnType<TestApiType['get']>>;
        const res = await agent[method](url).query(requiredQuery(op)).set('Authorization', `Bearer ${key}`).send(method === 'get' || method === 'delete' ? undefined : {});
        if (res.status >= 400 && !op.responses[String(res.status)]) undocumented.push(`${method} ${path} as ${organisation}: ${res.status} ${(res.body as { code?: string }).code} is not documented`);
      }
      if (method === 'get' && path.includes('{')) {
        const res = await api.get(url, DELEGATION).query(requiredQuery(op));
        if (res.status >= 400 && !op.responses[String(res.status)]) undocumented.push(`${method} ${path}: ${res.status} ${(res.body as { code?: string }).code} is not documented`);
      }
    }
    expect(undocumented).toEqual([]);
  });

  it.each([
    ['/operations/{operationId}', '/operations/op-openapi'],
    ['/operations/{operationId}/history', '/operations/op-openapi/history'],
    ['/grants/{grantId}', '/grants/g-openapi'],
    ['/grants/{grantId}/history', '/grants/g-openapi/history'],
    ['/insertion/declarations/{declarationId}', '/insertion/declarations/ins-openapi'],
    ['/insertion/declarations/{declarationId}/history', '/insertion/declarations/ins-openapi/history'],
    ['/reports/bilan/figures/{key}/events', '/reports/bilan/figures/logements.byEpci.CALL/events?asOf=2022-12-31'],
  ])('answers GET %s with a body that matches its schema', async (template, url) => {
    const res = await api.get(url, DELEGATION);
    expectStatus(res, 200);
    const documented = doc.paths[template].get.responses['200'];
    const schema = documented.content?.['application/json']?.schema;
    expect(schema).toBeDefined();
    for (const header of Object.keys(documented.headers ?? {})) expect(res.headers).toHaveProperty(header.toLowerCase());
    expect(departures(doc, schema as Schema, res.body)).toEqual([]);
    expect(JSON.stringify(res.body)).toMatch(/op-openapi|g-openapi|ins-openapi/);
  });
});
