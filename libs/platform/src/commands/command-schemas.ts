import { IntersectionType } from '@nestjs/swagger';
import { invalid } from '@erbm/shared';
import { instanceToPlain, plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { violationsOf } from './violations';
import { CiteIdParam, DeclarationIdParam, GrantIdParam, OperationDeliveryParams, OperationIdParam, ProgrammeIdParam } from './params';
import { CorrectCiteDto, RegisterCiteDto } from './cite.dto';
import { AmendGrantDto, CancelGrantDto, DecideGrantDto, RecordGrantPaymentDto } from './grant.dto';
import { CorrectInsertionDeclarationDto, DeclareInsertionHoursDto } from './insertion.dto';
import { AbandonOperationDto, AmendPlannedLogementsDto, ResumeOperationDto, RevisePhasePlanDto, StartPhaseDto, SuspendOperationDto } from './lifecycle.dto';
import { RegisterBailleurDto, RegisterEpciDto, RegisterFinancerDto } from './organisations.dto';
import { ProgrammeLogementsOperationDto, ProgrammeUrbanOperationDto } from './programme-operation.dto';
import { LaunchProgrammeDto, PublishAxisSetDto, SetTargetDto } from './programme.dto';
import { CorrectDeliveryDto, RecordDeliveryDto } from './record-delivery.dto';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Schema = new (...args: any[]) => object;

/**
 * The input contract of one command, declared once (ADR 0017): `body` is the class-validator + OpenAPI class of the
 * HTTP body (its decorators are the field rules and their documentation), `path` the class of the route's path
 * parameters when the command names its aggregate in the path, and `data` their union: the command's `data` as
 * every channel sends it (HTTP body + path, an import row's `data`, a CLI line).
 */
export interface CommandSchema {
  type: string;
  body: Schema;
  path?: Schema;
  data: Schema;
}

function schema(type: string, body: Schema, path?: Schema): CommandSchema {
  return { type, body, path, data: path ? (IntersectionType(path as never, body as never) as unknown as Schema) : body };
}

/**
 * Every command the API, the imports and the CLI accept, with its schema. The controllers bind `body` and `path`,
 * the OpenAPI document is generated from the same classes, and `validateCommandData` checks every envelope's
 * `data` against `data` on the command bus, whatever the channel.
 */
export const COMMAND_SCHEMAS: readonly CommandSchema[] = [
  schema('programme.LaunchProgramme', LaunchProgrammeDto),
  schema('programme.SetTarget', SetTargetDto, ProgrammeIdParam),
  schema('programme.PublishAxisSet', PublishAxisSetDto, ProgrammeIdParam),
  schema('programme.RegisterEpci', RegisterEpciDto),
  schema('programme.RegisterFinancer', RegisterFinancerDto),
  schema('programme.RegisterBailleur', RegisterBailleurDto),
  schema('programme.RegisterCite', RegisterCiteDto),
  schema('programme.CorrectCite', CorrectCiteDto, CiteIdParam),
  schema('operation.ProgrammeLogementsOperation', ProgrammeLogementsOperationDto),
  schema('operation.ProgrammeUrbanOperation', ProgrammeUrbanOperationDto),
  schema('operation.StartPhase', StartPhaseDto, OperationIdParam),
  schema('operation.RevisePhasePlan', RevisePhasePlanDto, OperationIdParam),
  schema('operation.SuspendOperation', SuspendOperationDto, OperationIdParam),
  schema('operation.ResumeOperation', ResumeOperationDto, OperationIdParam),
  schema('operation.AbandonOperation', AbandonOperationDto, OperationIdParam),
  schema('operation.RecordLogementsDelivery', RecordDeliveryDto, OperationIdParam),
  schema('operation.CorrectLogementsDelivery', CorrectDeliveryDto, OperationDeliveryParams),
  schema('operation.AmendPlannedLogements', AmendPlannedLogementsDto, OperationIdParam),
  schema('funding.DecideGrant', DecideGrantDto),
  schema('funding.AmendGrant', AmendGrantDto, GrantIdParam),
  schema('funding.RecordGrantPayment', RecordGrantPaymentDto, GrantIdParam),
  schema('funding.CancelGrant', CancelGrantDto, GrantIdParam),
  schema('insertion.DeclareInsertionHours', DeclareInsertionHoursDto),
  schema('insertion.CorrectInsertionDeclaration', CorrectInsertionDeclarationDto, DeclarationIdParam),
];

const BY_TYPE = new Map(COMMAND_SCHEMAS.map((s) => [s.type, s]));

/** The schema of a command type, or undefined for a type that has none (identity commands, unknown types). */
export const commandSchema = (type: string): CommandSchema | undefined => BY_TYPE.get(type);

/** Options of every validation against a command schema, HTTP pipe included: unknown fields refused, no coercion. */
export const SCHEMA_VALIDATION = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true } as const;

/**
 * Checks a command's `data` against its schema and returns it as the domain reads it: a plain object whose
 * optional nullable fields are null when absent (`operationId` of an insertion declaration, `decisionRef`…).
 * Data of a type without schema, or that is not an object, is returned unchanged: the use case's `parse` answers.
 * @throws DomainError COMMAND.INVALID (400) with one violation per failed rule, named as in the HTTP body.
 */
export function validateCommandData(type: string, data: unknown): unknown {
  const s = commandSchema(type);
  if (!s || typeof data !== 'object' || data === null || Array.isArray(data)) return data;
  const instance = plainToInstance(s.data, data, { enableImplicitConversion: false });
  const errors = validateSync(instance, SCHEMA_VALIDATION);
  if (errors.length) throw invalid(violationsOf(errors));
  return instanceToPlain(instance);
}
