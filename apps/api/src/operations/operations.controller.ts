import { Body, Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { type CommandResult } from '@erbm/application';
import { operationStream } from '@erbm/operations';
import { GetStream, STREAM_VISIBILITY, type StreamView, type StreamVisibility, OperationDeliveryParams, OperationIdParam, AbandonOperationDto, AmendPlannedLogementsDto, ResumeOperationDto, RevisePhasePlanDto, StartPhaseDto, SuspendOperationDto, ProgrammeLogementsOperationDto, ProgrammeUrbanOperationDto, CorrectDeliveryDto, RecordDeliveryDto } from '@erbm/platform';
import { notFound } from '@erbm/shared';
import { Request, Response } from 'express';
import { ApiAuth, ApiCommand, ApiStreamRead } from '../http/api-docs';
import { CommandGateway } from '../http/command-gateway';
import { Roles, scopeOf } from '../auth/roles';

const LIFECYCLE_RULES = 'OPERATION.SUSPENDED, OPERATION.ABANDONED, OPERATION.TERMINATED, OPERATION.DATE_BEFORE_PREVIOUS';

/**
 * Cité renovation operations: programming (logements by a bailleur, public spaces by an EPCI), phases, plans,
 * suspension, abandonment, logements livrés and their corrections. Each operation is one stream
 * (`operation-<operationId>`) whose version is the ETag of GET /operations/{operationId}.
 */
@ApiTags('operations')
@ApiAuth()
@Controller('operations')
export class OperationsController {
  constructor(
    private readonly commands: CommandGateway,
    @Inject(QueryBus) private readonly queries: QueryBus,
    @Inject(STREAM_VISIBILITY) private readonly visibility: StreamVisibility,
  ) {}

  @Post('logements')
  @Roles('delegation', 'bailleur')
  @ApiCommand({
    summary: 'Programme the renovation of logements in a cité (by its bailleur)',
    command: 'operation.ProgrammeLogementsOperation',
    event: 'operation.LogementsOperationProgrammed.v1',
    notFound: 'CITE.NOT_FOUND, BAILLEUR.NOT_FOUND',
    conflict: 'OPERATION.ALREADY_PROGRAMMED',
    rules: 'OPERATION.LOTS_MISMATCH, OPERATION.PLAN_BEFORE_PROGRAMMING',
  })
  programmeLogements(@Body() b: ProgrammeLogementsOperationDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<CommandResult> {
    return this.commands.send('operation.ProgrammeLogementsOperation', b, req, res);
  }

  @Post('urbaines')
  @Roles('delegation', 'epci')
  @ApiCommand({
    summary: "Programme the renovation of a cité's public spaces (by the EPCI of its territory)",
    command: 'operation.ProgrammeUrbanOperation',
    event: 'operation.UrbanOperationProgrammed.v1',
    notFound: 'CITE.NOT_FOUND',
    conflict: 'OPERATION.ALREADY_PROGRAMMED',
    rules: 'OPERATION.PHASE_NOT_NEXT (livraisons planned), OPERATION.PLAN_BEFORE_PROGRAMMING',
  })
  programmeUrban(@Body() b: ProgrammeUrbanOperationDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<CommandResult> {
    return this.commands.send('operation.ProgrammeUrbanOperation', b, req, res);
  }

  @Post(':operationId/phases')
  @Roles('delegation', 'bailleur', 'epci')
  @ApiCommand({
    summary: 'Start the next phase of an operation',
    command: 'operation.StartPhase',
    event: 'operation.PhaseStarted.v1',
    notFound: 'OPERATION.NOT_FOUND',
    rules: `OPERATION.PHASE_NOT_NEXT, OPERATION.DELIVERIES_INCOMPLETE, ${LIFECYCLE_RULES}`,
  })
  startPhase(@Param() p: OperationIdParam, @Body() b: StartPhaseDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<CommandResult> {
    return this.commands.send('operation.StartPhase', { ...p, ...b }, req, res);
  }

  @Post(':operationId/phase-plans')
  @Roles('delegation', 'bailleur', 'epci')
  @ApiCommand({
    summary: 'Revise the planned start date of a phase not started yet',
    command: 'operation.RevisePhasePlan',
    event: 'operation.PhasePlanRevised.v1',
    notFound: 'OPERATION.NOT_FOUND',
    rules: 'OPERATION.PHASE_ALREADY_STARTED, OPERATION.PLAN_UNCHANGED, OPERATION.ABANDONED',
  })
  revisePhasePlan(@Param() p: OperationIdParam, @Body() b: RevisePhasePlanDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<CommandResult> {
    return this.commands.send('operation.RevisePhasePlan', { ...p, ...b }, req, res);
  }

  @Post(':operationId/suspensions')
  @Roles('delegation', 'bailleur', 'epci')
  @ApiCommand({ summary: 'Suspend an operation', command: 'operation.SuspendOperation', event: 'operation.OperationSuspended.v1', notFound: 'OPERATION.NOT_FOUND', rules: LIFECYCLE_RULES })
  suspend(@Param() p: OperationIdParam, @Body() b: SuspendOperationDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<CommandResult> {
    return this.commands.send('operation.SuspendOperation', { ...p, ...b }, req, res);
  }

  @Post(':operationId/resumptions')
  @Roles('delegation', 'bailleur', 'epci')
  @ApiCommand({
    summary: 'Resume a suspended operation, in the phase it was in',
    command: 'operation.ResumeOperation',
    event: 'operation.OperationResumed.v1',
    notFound: 'OPERATION.NOT_FOUND',
    rules: 'OPERATION.NOT_SUSPENDED, OPERATION.DATE_BEFORE_PREVIOUS',
  })
  resume(@Param() p: OperationIdParam, @Body() b: ResumeOperationDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<CommandResult> {
    return this.commands.send('operation.ResumeOperation', { ...p, ...b }, req, res);
  }

  @Post(':operationId/abandonment')
  @Roles('delegation', 'bailleur', 'epci')
  @ApiCommand({
    summary: 'Abandon an operation (final; logements already delivered stay counted)',
    command: 'operation.AbandonOperation',
    event: 'operation.OperationAbandoned.v1',
    notFound: 'OPERATION.NOT_FOUND',
    rules: 'OPERATION.ABANDONED, OPERATION.TERMINATED, OPERATION.DATE_BEFORE_PREVIOUS',
  })
  abandon(@Param() p: OperationIdParam, @Body() b: AbandonOperationDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<CommandResult> {
    return this.commands.send('operation.AbandonOperation', { ...p, ...b }, req, res);
  }

  @Post(':operationId/deliveries')
  @Roles('delegation', 'bailleur')
  @ApiCommand({
    summary: 'Record logements livrés on an operation',
    command: 'operation.RecordLogementsDelivery',
    event: 'operation.LogementsDelivered.v1',
    notFound: 'OPERATION.NOT_FOUND',
    conflict: 'OPERATION.DELIVERY_ALREADY_RECORDED',
    rules: 'OPERATION.DELIVERY_EXCEEDS_PLANNED, OPERATION.DELIVERY_OUTSIDE_WORKS, OPERATION.DELIVERY_BEFORE_WORKS, ENERGY.DPE_CLASS_INCONSISTENT',
  })
  recordDelivery(@Param() p: OperationIdParam, @Body() b: RecordDeliveryDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<CommandResult> {
    return this.commands.send('operation.RecordLogementsDelivery', { ...p, ...b }, req, res);
  }

  @Post(':operationId/deliveries/:deliveryId/corrections')
  @Roles('delegation', 'bailleur')
  @ApiCommand({
    summary: "Correct a delivery's figures (the original event stays; reports as known before still show it)",
    command: 'operation.CorrectLogementsDelivery',
    event: 'operation.LogementsDeliveryCorrected.v1',
    notFound: 'OPERATION.NOT_FOUND, OPERATION.DELIVERY_NOT_FOUND',
    rules: 'OPERATION.CORRECTION_UNCHANGED, OPERATION.DELIVERY_EXCEEDS_PLANNED, OPERATION.DELIVERY_BEFORE_WORKS, ENERGY.DPE_CLASS_INCONSISTENT',
  })
  correctDelivery(
    @Param() p: OperationDeliveryParams,
    @Body() b: CorrectDeliveryDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CommandResult> {
    return this.commands.send('operation.CorrectLogementsDelivery', { ...p, ...b }, req, res);
  }

  @Post(':operationId/planned-logements')
  @Roles('delegation', 'bailleur')
  @ApiCommand({
    summary: "Amend an operation's planned logements",
    command: 'operation.AmendPlannedLogements',
    event: 'operation.PlannedLogementsAmended.v1',
    notFound: 'OPERATION.NOT_FOUND',
    rules: 'OPERATION.PLANNED_BELOW_DELIVERED, OPERATION.AMENDMENT_UNCHANGED, OPERATION.NOT_LOGEMENTS',
  })
  amendPlannedLogements(@Param() p: OperationIdParam, @Body() b: AmendPlannedLogementsDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<CommandResult> {
    return this.commands.send('operation.AmendPlannedLogements', { ...p, ...b }, req, res);
  }

  @Get(':operationId')
  @ApiStreamRead("An operation's event history and version (ETag)", 'OPERATION.NOT_FOUND')
  async get(@Param() p: OperationIdParam, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<StreamView> {
    const view = await this.queries.execute<GetStream, StreamView>(new GetStream(operationStream(p.operationId)));
    // Out of the caller's scope: 404, as if it did not exist.
    if (view.version === 0 || !(await this.visibility.canSee(scopeOf(req), 'operation', p.operationId))) throw notFound('OPERATION.NOT_FOUND', `No operation ${p.operationId}`, 'operationId');
    res.setHeader('ETag', `"${view.version}"`);
    return view;
  }
}
