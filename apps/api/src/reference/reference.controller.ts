import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { type CommandResult } from '@erbm/application';
import { Request, Response } from 'express';
import { ApiAuth, ApiCommand } from '../http/api-docs';
import { CommandGateway } from '../http/command-gateway';
import { Roles } from '../auth/roles';
import { CiteIdParam, ProgrammeIdParam, CorrectCiteDto, RegisterCiteDto, RegisterBailleurDto, RegisterEpciDto, RegisterFinancerDto, LaunchProgrammeDto, PublishAxisSetDto, SetTargetDto } from '@erbm/platform';

/**
 * Reference data of the programme: the programme itself, its versioned target and axis sets, the EPCI, financers,
 * bailleurs and cités. Written by the délégation only (the executor refuses other organisations with 403).
 */
@ApiTags('reference data')
@ApiAuth()
@Roles('delegation')
@Controller()
export class ReferenceController {
  constructor(private readonly commands: CommandGateway) {}

  @Post('programmes')
  @ApiCommand({
    summary: 'Launch the programme (signature)',
    command: 'programme.LaunchProgramme',
    event: 'programme.ProgrammeLaunched.v1',
    conflict: 'PROGRAMME.ALREADY_LAUNCHED',
    rules: 'PROGRAMME.END_BEFORE_START',
  })
  launchProgramme(@Body() b: LaunchProgrammeDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<CommandResult> {
    return this.commands.send('programme.LaunchProgramme', b, req, res);
  }

  @Post('programmes/:programmeId/targets')
  @ApiCommand({
    summary: "Set a new version of the programme's target (logements, energy goal, date)",
    command: 'programme.SetTarget',
    event: 'programme.TargetSet.v1',
    notFound: 'PROGRAMME.NOT_FOUND',
    rules: 'PROGRAMME.TARGET_VERSION_NOT_NEXT, PROGRAMME.TARGET_EFFECTIVE_BEFORE_PREVIOUS, PROGRAMME.TARGET_DATE_BEFORE_EFFECTIVE',
  })
  setTarget(@Param() p: ProgrammeIdParam, @Body() b: SetTargetDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<CommandResult> {
    return this.commands.send('programme.SetTarget', { ...p, ...b }, req, res);
  }

  @Post('programmes/:programmeId/axis-sets')
  @ApiCommand({
    summary: 'Publish a version of the axis structure (axes and sub-axes)',
    command: 'programme.PublishAxisSet',
    event: 'programme.AxisSetPublished.v1',
    notFound: 'PROGRAMME.NOT_FOUND',
    conflict: 'PROGRAMME.AXIS_SET_ALREADY_PUBLISHED',
    description: 'Tree errors (duplicate code, wrong parent) are 400 COMMAND.INVALID naming `axes[i].code` or `axes[i].parentCode`.',
  })
  publishAxisSet(@Param() p: ProgrammeIdParam, @Body() b: PublishAxisSetDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<CommandResult> {
    return this.commands.send('programme.PublishAxisSet', { ...p, ...b }, req, res);
  }

  @Post('epci')
  @ApiCommand({ summary: 'Register an EPCI (intercommunality) of the programme', command: 'programme.RegisterEpci', event: 'programme.EpciRegistered.v1', conflict: 'EPCI.ALREADY_REGISTERED' })
  registerEpci(@Body() b: RegisterEpciDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<CommandResult> {
    return this.commands.send('programme.RegisterEpci', b, req, res);
  }

  @Post('financers')
  @ApiCommand({
    summary: 'Register a financer',
    command: 'programme.RegisterFinancer',
    event: 'programme.FinancerRegistered.v1',
    notFound: 'EPCI.NOT_FOUND',
    conflict: 'FINANCER.ALREADY_REGISTERED',
    rules: 'FINANCER.EPCI_CODE_REQUIRED, FINANCER.EPCI_CODE_NOT_ALLOWED',
  })
  registerFinancer(@Body() b: RegisterFinancerDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<CommandResult> {
    return this.commands.send('programme.RegisterFinancer', b, req, res);
  }

  @Post('bailleurs')
  @ApiCommand({ summary: 'Register a bailleur (social landlord)', command: 'programme.RegisterBailleur', event: 'programme.BailleurRegistered.v1', conflict: 'BAILLEUR.ALREADY_REGISTERED' })
  registerBailleur(@Body() b: RegisterBailleurDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<CommandResult> {
    return this.commands.send('programme.RegisterBailleur', b, req, res);
  }

  @Post('cites')
  @ApiCommand({
    summary: 'Register a cité minière',
    command: 'programme.RegisterCite',
    event: 'programme.CiteRegistered.v1',
    notFound: 'EPCI.NOT_FOUND, BAILLEUR.NOT_FOUND',
    conflict: 'CITE.ALREADY_REGISTERED',
  })
  registerCite(@Body() b: RegisterCiteDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<CommandResult> {
    return this.commands.send('programme.RegisterCite', b, req, res);
  }

  @Post('cites/:citeId/corrections')
  @ApiCommand({
    summary: "Correct a cité's description (the registration stays in the log)",
    command: 'programme.CorrectCite',
    event: 'programme.CiteCorrected.v1',
    notFound: 'CITE.NOT_FOUND, EPCI.NOT_FOUND, BAILLEUR.NOT_FOUND',
    rules: 'CITE.CORRECTION_UNCHANGED',
  })
  correctCite(@Param() p: CiteIdParam, @Body() b: CorrectCiteDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<CommandResult> {
    return this.commands.send('programme.CorrectCite', { ...p, ...b }, req, res);
  }
}
