import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiHeader, ApiOperation, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';

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
    ApiBearerAuth(),
    ApiHeader({ name: 'X-Acting-User', required: false, description: 'With an API key: the acting user (e-mail, system name), at most 200 characters; default the client id. Ignored with a bearer token (its email/sub).' }),
    ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retrying a request with the same key ([A-Za-z0-9._:-]{1,120}) appends nothing and answers 200 with the first result' }),
    ApiHeader({ name: 'If-Match', required: false, description: 'ETag of the aggregate as read ("<version>"); a stale one gives 412' }),
    ApiHeader({ name: 'X-Correlation-Id', required: false, description: 'Correlation id copied into the events metadata' }),
  );

const problem = { schema: { $ref: getSchemaPath(ProblemDetailsDto) } };

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
    ApiResponse({ status: 400, description: 'Invalid request (REQUEST.INVALID, COMMAND.INVALID, REQUEST.MALFORMED_JSON) with the offending fields in `violations`', content: { 'application/problem+json': problem } }),
    ApiResponse({ status: 401, description: 'Not authenticated (AUTH.UNAUTHENTICATED, AUTH.KEY_REVOKED, AUTH.TOKEN_INVALID); WWW-Authenticate: Bearer', content: { 'application/problem+json': problem } }),
    ApiResponse({ status: 403, description: "The caller's role may not use this endpoint (AUTH.FORBIDDEN), or its organisation may not issue this command here (AUTH.NOT_OWNER)", content: { 'application/problem+json': problem } }),
    ApiResponse({ status: 429, description: 'Rate limit of the API client exceeded (RATE_LIMIT.EXCEEDED); Retry-After in seconds', content: { 'application/problem+json': problem } }),
    ApiResponse({ status: 404, description: `Something referenced does not exist${doc.notFound ? ` (${doc.notFound})` : ''}`, content: { 'application/problem+json': problem } }),
    ApiResponse({ status: 409, description: `Conflict with what exists${doc.conflict ? ` (${doc.conflict})` : ''}; COMMAND.CONTENTION`, content: { 'application/problem+json': problem } }),
    ApiResponse({ status: 412, description: 'If-Match is stale (COMMAND.STALE_VERSION): read the aggregate again', content: { 'application/problem+json': problem } }),
    ApiResponse({ status: 413, description: 'Body over 256 kB (REQUEST.TOO_LARGE)', content: { 'application/problem+json': problem } }),
    ApiResponse({ status: 415, description: 'Body not application/json (REQUEST.UNSUPPORTED_MEDIA_TYPE)', content: { 'application/problem+json': problem } }),
    ApiResponse({ status: 422, description: `Business rule broken${doc.rules ? `, e.g. ${doc.rules}` : ''}`, content: { 'application/problem+json': problem } }),
  ) as MethodDecorator;

/** OpenAPI of a stream read: 200 with the events and the ETag, 400 for a malformed id, 404 when nothing was recorded. */
export const ApiStreamRead = (summary: string, notFoundCode: string): MethodDecorator =>
  applyDecorators(
    ApiExtraModels(ProblemDetailsDto, FieldViolationDto),
    ApiOperation({ summary, description: 'The aggregate\'s events in order and its version, also sent as ETag (use it in If-Match).' }),
    ApiResponse({ status: 200, description: 'The stream; header ETag: "<version>"' }),
    ApiResponse({ status: 400, description: 'Malformed id (REQUEST.INVALID)', content: { 'application/problem+json': problem } }),
    ApiResponse({ status: 404, description: `Nothing recorded under this id (${notFoundCode})`, content: { 'application/problem+json': problem } }),
  ) as MethodDecorator;
