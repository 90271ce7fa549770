import { Body, Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { type CommandResult } from '@erbm/application';
import { grantStream } from '@erbm/funding';
import { GetStream, STREAM_VISIBILITY, type StreamView, type StreamVisibility, GrantIdParam, AmendGrantDto, CancelGrantDto, DecideGrantDto, RecordGrantPaymentDto } from '@erbm/platform';
import { notFound } from '@erbm/shared';
import { Request, Response } from 'express';
import { ApiAuth, ApiCommand, ApiStreamRead } from '../http/api-docs';
import { CommandGateway } from '../http/command-gateway';
import { Roles, scopeOf } from '../auth/roles';

const GRANT_RULES = 'GRANT.CANCELLED, GRANT.DATE_BEFORE_CONVENTION';

/** Subsidies: decisions, amendments, payments and cancellations, all in integer euro cents. Stream `grant-<grantId>`. */
@ApiTags('grants')
@ApiAuth()
@Controller('grants')
export class GrantsController {
  constructor(
    private readonly commands: CommandGateway,
    @Inject(QueryBus) private readonly queries: QueryBus,
    @Inject(STREAM_VISIBILITY) private readonly visibility: StreamVisibility,
  ) {}

  @Post()
  @Roles('delegation', 'financer')
  @ApiCommand({
    summary: 'Decide a grant for an operation (convention signed)',
    command: 'funding.DecideGrant',
    event: 'funding.GrantDecided.v1',
    notFound: 'FINANCER.NOT_FOUND, OPERATION.NOT_FOUND',
    conflict: 'GRANT.ALREADY_DECIDED',
    rules: 'GRANT.CONVENTION_BEFORE_OPERATION',
  })
  decide(@Body() b: DecideGrantDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<CommandResult> {
    return this.commands.send('funding.DecideGrant', b, req, res);
  }

  @Post(':grantId/amendments')
  @Roles('delegation', 'financer')
  @ApiCommand({
    summary: "Amend a grant's total amount (avenant)",
    command: 'funding.AmendGrant',
    event: 'funding.GrantAmended.v1',
    notFound: 'GRANT.NOT_FOUND',
    rules: `GRANT.AMOUNT_BELOW_PAID, GRANT.AMENDMENT_UNCHANGED, ${GRANT_RULES}`,
  })
  amend(@Param() p: GrantIdParam, @Body() b: AmendGrantDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<CommandResult> {
    return this.commands.send('funding.AmendGrant', { ...p, ...b }, req, res);
  }

  @Post(':grantId/payments')
  @Roles('delegation', 'financer')
  @ApiCommand({
    summary: 'Record a payment (versement) on a grant',
    command: 'funding.RecordGrantPayment',
    event: 'funding.GrantPaymentMade.v1',
    notFound: 'GRANT.NOT_FOUND',
    conflict: 'GRANT.PAYMENT_ALREADY_RECORDED',
    rules: `GRANT.PAYMENT_EXCEEDS_AMOUNT, ${GRANT_RULES}`,
  })
  pay(@Param() p: GrantIdParam, @Body() b: RecordGrantPaymentDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<CommandResult> {
    return this.commands.send('funding.RecordGrantPayment', { ...p, ...b }, req, res);
  }

  @Post(':grantId/cancellation')
  @Roles('delegation', 'financer')
  @ApiCommand({
    summary: 'Cancel a grant (its payments stay recorded; the unpaid remainder no longer counts)',
    command: 'funding.CancelGrant',
    event: 'funding.GrantCancelled.v1',
    notFound: 'GRANT.NOT_FOUND',
    rules: GRANT_RULES,
  })
  cancel(@Param() p: GrantIdParam, @Body() b: CancelGrantDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<CommandResult> {
    return this.commands.send('funding.CancelGrant', { ...p, ...b }, req, res);
  }

  @Get(':grantId')
  @ApiStreamRead("A grant's event history and version (ETag)", 'GRANT.NOT_FOUND')
  async get(@Param() p: GrantIdParam, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<StreamView> {
    const view = await this.queries.execute<GetStream, StreamView>(new GetStream(grantStream(p.grantId)));
    // Out of the caller's scope: 404, as if it did not exist.
    if (view.version === 0 || !(await this.visibility.canSee(scopeOf(req), 'grant', p.grantId))) throw notFound('GRANT.NOT_FOUND', `No grant ${p.grantId}`, 'grantId');
    res.setHeader('ETag', `"${view.version}"`);
    return view;
  }
}
