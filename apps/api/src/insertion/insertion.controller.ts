import { Body, Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { type CommandResult } from '@erbm/application';
import { insertionStream } from '@erbm/insertion';
import { GetStream, STREAM_VISIBILITY, type StreamView, type StreamVisibility, DeclarationIdParam, CorrectInsertionDeclarationDto, DeclareInsertionHoursDto } from '@erbm/platform';
import { notFound } from '@erbm/shared';
import { Request, Response } from 'express';
import { ApiAuth, ApiCommand, ApiStreamRead } from '../http/api-docs';
import { CommandGateway } from '../http/command-gateway';
import { Roles, scopeOf } from '../auth/roles';

const FIGURE_RULES = 'INSERTION.RECRUITMENTS_EXCEED_PARTICIPANTS, INSERTION.HOURS_WITHOUT_PARTICIPANTS';

/** Heures d'insertion (clauses sociales) by works contract and period. Stream `insertion-<declarationId>`. */
@ApiTags('insertion')
@ApiAuth()
@Controller('insertion/declarations')
export class InsertionController {
  constructor(
    private readonly commands: CommandGateway,
    @Inject(QueryBus) private readonly queries: QueryBus,
    @Inject(STREAM_VISIBILITY) private readonly visibility: StreamVisibility,
  ) {}

  @Post()
  @Roles('delegation', 'bailleur', 'epci')
  @ApiCommand({
    summary: "Declare heures d'insertion worked on a works contract over a period",
    command: 'insertion.DeclareInsertionHours',
    event: 'insertion.InsertionHoursDeclared.v1',
    notFound: 'EPCI.NOT_FOUND, OPERATION.NOT_FOUND',
    conflict: 'INSERTION.ALREADY_DECLARED',
    rules: `INSERTION.EPCI_MISMATCH, INSERTION.PERIOD_INVERTED, INSERTION.PERIOD_TOO_LONG, ${FIGURE_RULES}`,
    description: "Issued by the operation's owner (or, without operation, the EPCI) or the délégation.",
  })
  declare(@Body() b: DeclareInsertionHoursDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<CommandResult> {
    return this.commands.send('insertion.DeclareInsertionHours', b, req, res);
  }

  @Post(':declarationId/corrections')
  @Roles('delegation', 'bailleur', 'epci')
  @ApiCommand({
    summary: "Correct a declaration's hours and persons (the original event stays)",
    command: 'insertion.CorrectInsertionDeclaration',
    event: 'insertion.InsertionDeclarationCorrected.v1',
    notFound: 'INSERTION.NOT_FOUND',
    rules: `INSERTION.CORRECTION_UNCHANGED, ${FIGURE_RULES}`,
  })
  correct(
    @Param() p: DeclarationIdParam,
    @Body() b: CorrectInsertionDeclarationDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CommandResult> {
    return this.commands.send('insertion.CorrectInsertionDeclaration', { ...p, ...b }, req, res);
  }

  @Get(':declarationId')
  @ApiStreamRead("An insertion declaration's event history and version (ETag)", 'INSERTION.NOT_FOUND')
  async get(@Param() p: DeclarationIdParam, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<StreamView> {
    const view = await this.queries.execute<GetStream, StreamView>(new GetStream(insertionStream(p.declarationId)));
    // Out of the caller's scope: 404, as if it did not exist.
    if (view.version === 0 || !(await this.visibility.canSee(scopeOf(req), 'insertion', p.declarationId))) throw notFound('INSERTION.NOT_FOUND', `No insertion declaration ${p.declarationId}`, 'declarationId');
    res.setHeader('ETag', `"${view.version}"`);
    return view;
  }
}
