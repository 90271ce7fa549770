import { Body, Controller, Delete, Get, Header, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { randomBytes } from 'node:crypto';
import { API_KEYS, type ApiKeys, type ClientView, type IssuedKey } from '@erbm/platform';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { Request } from 'express';
import { commandContext } from '../http/command-context';
import { ApiAuth, ApiProblem, ApiRead } from '../http/api-docs';
import { Roles } from './roles';

export class CreateClientDto {
  @ApiProperty({ description: 'Organisation the client acts for', example: 'bailleur:SIA_HABITAT' })
  @Matches(/^(delegation|copil|(bailleur|epci|financer):[A-Z][A-Z0-9_]{1,39})$/, { message: 'organisation must be delegation, copil, bailleur:<CODE>, epci:<CODE> or financer:<CODE>' })
  organisation!: string;

  @ApiProperty({ example: 'SIA Habitat — connecteur patrimoine' })
  @IsString()
  @MaxLength(200)
  @Matches(/\S/, { message: 'name must not be blank' })
  name!: string;

  @ApiPropertyOptional({ description: 'Client id (kebab-case); generated when absent', example: 'sia-connector' })
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9-]{0,79}$/, { message: 'clientId must be kebab-case, at most 80 characters' })
  clientId?: string;
}

export class ClientIdParam {
  @ApiProperty({ example: 'sia-connector' })
  @Matches(/^[a-z0-9][a-z0-9-]{0,79}$/, { message: 'clientId must be kebab-case, at most 80 characters' })
  clientId!: string;
}

export class KeyIdParam {
  @ApiProperty({ example: '3f9a1c2e4b6d8f0a1b2c' })
  @Matches(/^[a-z0-9][a-z0-9-]{0,79}$/, { message: 'keyId must be [a-z0-9-], at most 80 characters' })
  keyId!: string;
}

export class RegisteredClientDto {
  @ApiProperty({ example: 'sia-connector' })
  clientId!: string;
  @ApiProperty({ example: 'bailleur:SIA_HABITAT' })
  organisation!: string;
  @ApiProperty({ example: 'SIA Habitat — connecteur patrimoine' })
  name!: string;
}

export class IssuedKeyDto implements IssuedKey {
  @ApiProperty({ example: 'sia-connector' })
  clientId!: string;
  @ApiProperty({ example: '3f9a1c2e4b6d8f0a1b2c' })
  keyId!: string;
  @ApiProperty({ example: 'bailleur:SIA_HABITAT' })
  organisation!: string;
  @ApiProperty({ description: 'The key erbm_<keyId>_<secret>, in this answer only', example: 'erbm_3f9a1c2e4b6d8f0a1b2c_Jx…' })
  key!: string;
  @ApiProperty({ format: 'date-time' })
  issuedAt!: string;
}

export class RevokedKeyDto {
  @ApiProperty({ example: '3f9a1c2e4b6d8f0a1b2c' })
  keyId!: string;
  @ApiProperty({ format: 'date-time' })
  revokedAt!: string;
}

export class ClientKeyDto {
  @ApiProperty({ example: '3f9a1c2e4b6d8f0a1b2c' })
  keyId!: string;
  @ApiProperty({ format: 'date-time' })
  issuedAt!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'Updated at most once a minute' })
  lastUsedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  revokedAt!: string | null;
}

export class ClientViewDto implements ClientView {
  @ApiProperty({ example: 'sia-connector' })
  clientId!: string;
  @ApiProperty({ example: 'bailleur:SIA_HABITAT' })
  organisation!: string;
  @ApiProperty({ example: 'SIA Habitat — connecteur patrimoine' })
  name!: string;
  @ApiProperty({ format: 'date-time' })
  registeredAt!: string;
  @ApiProperty({ type: [ClientKeyDto] })
  keys!: ClientKeyDto[];
}

const DELEGATION_ONLY = 'API clients and keys are administered by the délégation only';

/**
 * Administration of API clients and keys, by the délégation only. Commands `identity.RegisterApiClient`,
 * `identity.IssueApiKey`, `identity.RevokeApiKey` go through the command executor like every write.
 */
@ApiTags('auth')
@ApiAuth()
@Roles('delegation')
@Controller('auth')
export class AuthController {
  constructor(@Inject(API_KEYS) private readonly keys: ApiKeys) {}

  @Post('clients')
  @ApiRead({
    summary: 'Register an API client of an organisation',
    description: 'Command `identity.RegisterApiClient` → `identity.ApiClientRegistered.v1`. Délégation only.',
    status: 201,
    type: RegisteredClientDto,
    returns: 'Registered',
    badRequest: 'invalid body',
    forbidden: DELEGATION_ONLY,
    jsonBody: true,
  })
  @ApiProblem(409, 'CLIENT.ALREADY_REGISTERED')
  async createClient(@Body() b: CreateClientDto, @Req() req: Request): Promise<{ clientId: string; organisation: string; name: string }> {
    const ctx = commandContext(req);
    const clientId = b.clientId ?? `client-${randomBytes(6).toString('hex')}`;
    await this.keys.registerClient({ clientId, organisation: b.organisation, name: b.name }, { actor: ctx.actor, commandId: ctx.commandId, correlationId: ctx.correlationId });
    return { clientId, organisation: b.organisation, name: b.name };
  }

  @Post('clients/:clientId/keys')
  @Header('Cache-Control', 'no-store')
  @ApiRead({
    summary: 'Issue an API key to a client (the key is in this answer only)',
    description: 'Command `identity.IssueApiKey` → `identity.ApiKeyIssued.v1` (only the bcrypt hash is stored). Rotation: issue a new key, deploy it, then revoke the old one. Délégation only.',
    status: 201,
    type: IssuedKeyDto,
    returns: 'Issued',
    headers: { 'Cache-Control': 'no-store' },
    forbidden: DELEGATION_ONLY,
    notFound: 'CLIENT.NOT_FOUND',
  })
  issueKey(@Param() p: ClientIdParam, @Req() req: Request): Promise<IssuedKey> {
    const ctx = commandContext(req);
    const idempotencyKey = req.header('idempotency-key');
    return this.keys.issueKey(p.clientId, { actor: ctx.actor, correlationId: ctx.correlationId, commandId: idempotencyKey ? ctx.commandId : undefined });
  }

  @Delete('keys/:keyId')
  @ApiRead({
    summary: 'Revoke an API key (final; it stops authenticating at once)',
    description: 'Command `identity.RevokeApiKey` → `identity.ApiKeyRevoked.v1`. Délégation only.',
    type: RevokedKeyDto,
    returns: 'Revoked',
    forbidden: DELEGATION_ONLY,
    notFound: 'KEY.NOT_FOUND',
  })
  @ApiProblem(409, 'KEY.ALREADY_REVOKED')
  @HttpCode(200)
  async revokeKey(@Param() p: KeyIdParam, @Req() req: Request): Promise<{ keyId: string; revokedAt: string }> {
    const ctx = commandContext(req);
    const revokedAt = await this.keys.revokeKey(p.keyId, { actor: ctx.actor, commandId: ctx.commandId, correlationId: ctx.correlationId });
    return { keyId: p.keyId, revokedAt };
  }

  @Get('clients')
  @ApiRead({ summary: 'Every API client with its keys: ids, issued, last used, revoked (never a hash)', type: [ClientViewDto], forbidden: DELEGATION_ONLY })
  listClients(): Promise<ClientView[]> {
    return this.keys.listClients();
  }
}
