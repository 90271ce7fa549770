import { type Type, applyDecorators } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiHeader,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  ApiSecurity,
  type ApiPropertyOptions,
  type SchemaObject,
  getSchemaPath,
} from '@nestjs/swagger';
import { StreamViewDto } from './stream.dto';

/** One offending field of a request, as listed in `violations` of a problem. */
export class FieldViolationDto {
  @ApiProperty({ description: 'Dotted path of the field (`energyAfter.dpeClass`, `lots[0].logements`), or `header:<Name>` / `query:<name>`', example: 'logements' })
  field!: string;

  @ApiProperty({ description: 'Rule broken', example: 'min' })
  rule!: string;

  @ApiProperty({ example: 'logements must be at least 1' })
  message!: string;
}

/** RFC 9457 problem details: the body of every error (`application/problem+json`). */
export class ProblemDetailsDto {
  @ApiProperty({ example: 'https://erbm.invalid/problems/operation-delivery-exceeds-planned' })
  type!: string;

  @ApiProperty({ example: 'Règle métier non respectée' })
  title!: string;

  @ApiProperty({ example: 422 })
  status!: number;

  @ApiProperty({ example: 'Deliveries would total 130 logements, above the 120 planned; amend the planned logements first' })
  detail!: string;

  @ApiProperty({ example: '/operations/op-darcy-t1/deliveries' })
  instance!: string;

  @ApiProperty({ description: 'Stable error code', example: 'OPERATION.DELIVERY_EXCEEDS_PLANNED' })
  code!: string;

  @ApiPropertyOptional({ type: [FieldViolationDto] })
  violations?: FieldViolationDto[];
}

class AppendedEventDto {
  @ApiProperty({ description: 'Event id, derived from the command id (UUID)', example: '4f1c2b8e-7d1a-5e0b-9c3d-2a6f8e1b0c4d' })
  eventId!: string;

  @ApiProperty({ description: 'Versioned event type', example: 'operation.LogementsDelivered.v1' })
  type!: string;
}

/** What a command answers: the events it appended (or had appended, on an idempotent replay) and the new version. */
export class CommandResultDto {
  @ApiProperty({ description: 'The Idempotency-Key, or a generated id', example: 'sia-2021-01-livraison-1' })
  commandId!: string;

  @ApiProperty({ description: 'Stream of the aggregate written', example: 'operation-op-darcy-t1' })
  streamId!: string;

  @ApiProperty({ description: 'Stream version after the command; also the ETag', example: 7 })
  version!: number;

  @ApiProperty({ type: [AppendedEventDto] })
  events!: AppendedEventDto[];

  @ApiProperty({ description: 'True when the Idempotency-Key had already been applied: nothing was appended (HTTP 200)', example: false })
  duplicate!: boolean;
}

/** Headers every command endpoint reads (see command-context.ts). */
export const ApiCommandHeaders = (): ClassDecorator & MethodDecorator =>
  applyDecorators(
    ApiHeader({ name: 'X-Acting-User', required: false, description: 'With an API key: the acting user (e-mail, system name), at most 200 characters; default the client id. Ignored with a bearer token (its email/sub).' }),
    ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retrying a request with the same key ([A-Za-z0-9._:-]{1,120}) appends nothing and answers 200 with the first result' }),
    ApiHeader({ name: 'If-Match', required: false, description: 'ETag of the aggregate as read ("<version>"); a stale one gives 412' }),
    ApiHeader({ name: 'X-Correlation-Id', required: false, description: 'Correlation id copied into the events metadata' }),
  );

/** Name of the API key security scheme (header `X-API-Key`); the bearer one is `bearer`. */
export const API_KEY_SCHEME = 'api-key';

/**
 * Security of an authenticated endpoint: `Authorization: Bearer <API key or JWT>` or `X-API-Key: <API key>`
 * (either one; see AccessGuard). Public endpoints (`@Public()`) declare `security: []` instead (openapi.ts).
 */
export const ApiAuth = (): ClassDecorator & MethodDecorator => applyDecorators(ApiBearerAuth(), ApiSecurity(API_KEY_SCHEME));

const problem = { schema: { $ref: getSchemaPath(ProblemDetailsDto) } };

/** One problem+json answer (`ProblemDetailsDto`) with its status and description. */
export const ApiProblem = (status: number, description: string): MethodDecorator & ClassDecorator =>
  applyDecorators(ApiExtraModels(ProblemDetailsDto, FieldViolationDto), ApiResponse({ status, description, content: { 'application/problem+json': problem } }));

/** Who the guard refuses (403 AUTH.FORBIDDEN) on routes that keep the default roles: the comité de pilotage. */
export const COPIL_REFUSED = 'the comité de pilotage, which reads aggregates only';

export interface ProblemsDoc {
  /** What makes a 400 besides unknown or malformed query / path parameters (REQUEST.INVALID). */
  badRequest?: string;
  /** Who the route's roles refuse (403 AUTH.FORBIDDEN); leave out when every role may call it. */
  forbidden?: string;
  /** Codes of the 404 when a path parameter names something unknown (or out of the caller's scope). */
  notFound?: string;
  /** The request takes a JSON body: 413 (over 256 kB) and 415 (not JSON) too. */
  jsonBody?: boolean;
}

/**
 * The problem+json answers of an authenticated endpoint, all with the one `ProblemDetailsDto` schema: 400, 401,
 * 429, and 403 / 404 / 413 and 415 when the route can give them (`forbidden`, `notFound`, `jsonBody`).
 */
export const ApiProblems = (doc: ProblemsDoc = {}): MethodDecorator =>
  applyDecorators(
    ApiProblem(400, `Invalid request: unknown or malformed parameter (REQUEST.INVALID, naming it in \`violations\`)${doc.badRequest ? `; ${doc.badRequest}` : ''}`),
    ApiProblem(401, 'Not authenticated (AUTH.UNAUTHENTICATED, AUTH.KEY_REVOKED, AUTH.TOKEN_INVALID); WWW-Authenticate: Bearer'),
    ...(doc.forbidden ? [ApiProblem(403, `The caller's role may not use this endpoint (AUTH.FORBIDDEN): ${doc.forbidden}`)] : []),
    ...(doc.notFound ? [ApiProblem(404, `Unknown, or out of the caller's scope (${doc.notFound})`)] : []),
    ApiProblem(429, 'Rate limit of the API client exceeded (RATE_LIMIT.EXCEEDED); Retry-After in seconds'),
    ...(doc.jsonBody ? [ApiProblem(413, 'Body over 256 kB (REQUEST.TOO_LARGE)'), ApiProblem(415, 'Body not application/json (REQUEST.UNSUPPORTED_MEDIA_TYPE)')] : []),
  ) as MethodDecorator;

/** Options of a property holding any JSON value (before → after of a change, a job's result). */
export const ANY_JSON: ApiPropertyOptions = {
  description: 'Any JSON value, null included',
  anyOf: [{ type: 'string', nullable: true }, { type: 'number' }, { type: 'boolean' }, { type: 'object' }, { type: 'array', items: {} }],
};

/** Binary files (XLSX, PDF) and text files (CSV, HTML) the reads can answer with. */
export const FILE_SCHEMAS: Record<string, SchemaObject> = {
  'text/csv': { type: 'string', description: 'CSV text (UTF-8)' },
  'text/html': { type: 'string', description: 'HTML document (UTF-8)' },
  'text/plain': { type: 'string', description: 'Plain text (UTF-8)' },
  'application/pdf': { type: 'string', format: 'binary' },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { type: 'string', format: 'binary' },
};

/** The projection checkpoint an answer reflects (ADR 0004): every part of the answer was read in its snapshot. */
export class CheckpointDto {
  @ApiProperty({ description: 'Projection whose read models answered', example: 'bilan' })
  projection!: string;

  @ApiProperty({ type: Number, nullable: true, description: 'Version of that projection (null before its first run)', example: 2 })
  version!: number | null;

  @ApiProperty({ description: 'Position in the global event log up to which the read models are up to date ("<transaction id>/<global position>")', example: '17020/2161' })
  position!: string;
}

/** The conditional-GET part of a read answered from one snapshot (snapshot-etag.ts): headers and the 304. */
const SNAPSHOT_HEADERS = {
  ETag: { description: 'Weak tag of the projection checkpoint, the normalized query and the caller’s scope', schema: { type: 'string' as const } },
  'Cache-Control': { description: '`private, no-cache`: revalidate with If-None-Match', schema: { type: 'string' as const } },
};
const ApiSnapshot = (): MethodDecorator =>
  applyDecorators(
    ApiHeader({ name: 'If-None-Match', required: false, description: 'ETag of a previous answer: 304 without a body while the read models have not moved' }),
    ApiResponse({ status: 304, description: 'Not modified: the read models are still at the checkpoint of the tag sent', headers: SNAPSHOT_HEADERS }),
  ) as MethodDecorator;

export interface ReadDoc extends ProblemsDoc {
  summary: string;
  description?: string;
  /** Status of the success answer (default 200). */
  status?: 200 | 201 | 202;
  /** What the success answer is: its JSON DTO class (`[Dto]` for an array) … */
  type?: Type<unknown> | [Type<unknown>];
  /** … or a file of this media type (see FILE_SCHEMAS). */
  file?: string;
  /** With a JSON `type` (not an array): the same answer also as a file of this media type, by content negotiation (Accept). */
  alsoFile?: string;
  /** Description of the success answer. */
  returns?: string;
  /** Headers of the success answer: name → description (`ETag`, `Location`, `Content-Disposition`…). */
  headers?: Record<string, string>;
  /** Read in one snapshot with a conditional GET (`conditionalRead`): ETag, Cache-Control, If-None-Match and 304. */
  snapshot?: boolean;
}

/**
 * OpenAPI of a read, or of a request that is not an ApiCommand (202 jobs and imports, API client administration):
 * summary, the success answer's schema (JSON DTO or file) and the problem+json answers (ApiProblems). Security comes
 * from `ApiAuth` on the controller.
 */
export const ApiRead = (doc: ReadDoc): MethodDecorator => {
  const status = doc.status ?? 200;
  const description = doc.returns ?? 'OK';
  const headers = {
    ...Object.fromEntries(Object.entries(doc.headers ?? {}).map(([name, about]) => [name, { description: about, schema: { type: 'string' as const } }])),
    ...(doc.snapshot ? SNAPSHOT_HEADERS : {}),
  };
  const fileSchema = (media: string): SchemaObject => FILE_SCHEMAS[media] ?? { type: 'string', format: 'binary' };
  const success = doc.file
    ? ApiResponse({ status, description, headers, content: { [doc.file]: { schema: fileSchema(doc.file) } } })
    : doc.alsoFile && doc.type && !Array.isArray(doc.type)
      ? applyDecorators(
          ApiExtraModels(doc.type),
          ApiResponse({ status, description, headers, content: { 'application/json': { schema: { $ref: getSchemaPath(doc.type) } }, [doc.alsoFile]: { schema: fileSchema(doc.alsoFile) } } }),
        )
      : ApiResponse({ status, description, headers, type: Array.isArray(doc.type) ? doc.type[0] : doc.type, isArray: Array.isArray(doc.type) });
  return applyDecorators(
    ApiOperation({ summary: doc.summary, ...(doc.description ? { description: doc.description } : {}) }),
    success,
    ...(doc.snapshot ? [ApiSnapshot()] : []),
    ApiProblems(doc),
  ) as MethodDecorator;
};

export interface CommandDoc {
  summary: string;
  /** Command type, e.g. `operation.RecordLogementsDelivery`. */
  command: string;
  /** Event type(s) appended, e.g. `operation.LogementsDelivered.v1`. */
  event: string;
  /** Notable 404 codes (e.g. `OPERATION.NOT_FOUND`). */
  notFound?: string;
  /** Notable 409 codes. */
  conflict?: string;
  /** Notable 422 codes. */
  rules?: string;
  description?: string;
}

/**
 * OpenAPI of a command endpoint: its headers, summary, the command → event it runs, and every answer it can give
 * (201, 200 on idempotent replay, 400, 403, 404, 409, 412, 413, 415, 422) with the problem+json schema.
 */
export const ApiCommand = (doc: CommandDoc): MethodDecorator =>
  applyDecorators(
    ApiExtraModels(ProblemDetailsDto, FieldViolationDto),
    ApiCommandHeaders(),
    ApiOperation({
      summary: doc.summary,
      description: `Command \`${doc.command}\` → event \`${doc.event}\`.${doc.description ? ` ${doc.description}` : ''}`,
    }),
    ApiResponse({ status: 201, description: 'Appended; ETag is the aggregate version', type: CommandResultDto }),
    ApiResponse({ status: 200, description: 'Idempotent replay: this Idempotency-Key was already applied, nothing appended; same events as the first answer', type: CommandResultDto }),
    ApiProblem(400, 'Invalid request (REQUEST.INVALID, COMMAND.INVALID, REQUEST.MALFORMED_JSON) with the offending fields in `violations`'),
    ApiProblem(401, 'Not authenticated (AUTH.UNAUTHENTICATED, AUTH.KEY_REVOKED, AUTH.TOKEN_INVALID); WWW-Authenticate: Bearer'),
    ApiProblem(403, "The caller's role may not use this endpoint (AUTH.FORBIDDEN), or its organisation may not issue this command here (AUTH.NOT_OWNER)"),
    ApiProblem(429, 'Rate limit of the API client exceeded (RATE_LIMIT.EXCEEDED); Retry-After in seconds'),
    ApiProblem(404, `Something referenced does not exist${doc.notFound ? ` (${doc.notFound})` : ''}`),
    ApiProblem(409, `Conflict with what exists${doc.conflict ? ` (${doc.conflict})` : ''}; COMMAND.CONTENTION`),
    ApiProblem(412, 'If-Match is stale (COMMAND.STALE_VERSION): read the aggregate again'),
    ApiProblem(413, 'Body over 256 kB (REQUEST.TOO_LARGE)'),
    ApiProblem(415, 'Body not application/json (REQUEST.UNSUPPORTED_MEDIA_TYPE)'),
    ApiProblem(422, `Business rule broken${doc.rules ? `, e.g. ${doc.rules}` : ''}`),
  ) as MethodDecorator;

/**
 * OpenAPI of a stream read: 200 with the events and the ETag, 400 for a malformed id, 403 for the comité de
 * pilotage, 404 when nothing was recorded (or out of the caller's scope).
 */
export const ApiStreamRead = (summary: string, notFoundCode: string): MethodDecorator =>
  ApiRead({
    summary,
    description: "The aggregate's events in order and its version, also sent as ETag (use it in If-Match).",
    type: StreamViewDto,
    returns: 'The stream',
    headers: { ETag: 'The stream version, quoted ("7"): send it as If-Match with the next command' },
    forbidden: COPIL_REFUSED,
    notFound: notFoundCode,
  });
