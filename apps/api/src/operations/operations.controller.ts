import { Body, Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type CommandResult } from '@erbm/application';
import { operationStream } from '@erbm/operations';
import { GetStream, type StreamView } from '@erbm/platform';
import { notFound } from '@erbm/shared';
import { Request, Response } from 'express';
import { CommandGateway } from '../http/command-gateway';
import { RecordDeliveryDto } from './dto/record-delivery.dto';
import { OperationIdParam } from '../http/params';

/** Cité renovation operations: logements livrés (the other operation commands: see the other handlers of this controller). */
@ApiTags('operations')
@ApiHeader({ name: 'X-Acting-Organisation', required: true, description: 'delegation, bailleur:<CODE>, epci:<CODE> or financer:<CODE>' })
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retrying a request with the same key appends nothing and returns the first result' })
@ApiHeader({ name: 'If-Match', required: false, description: 'ETag of the operation as read; a stale one gives 412' })
@Controller('operations')
export class OperationsController {
  constructor(private readonly commands: CommandGateway, @Inject(QueryBus) private readonly queries: QueryBus) {}

  @Post(':operationId/deliveries')
  @ApiOperation({ summary: 'Record logements livrés on an operation', description: 'Command operation.RecordLogementsDelivery → event operation.LogementsDelivered.v1' })
  @ApiResponse({ status: 201, description: 'Recorded; ETag is the operation version' })
  @ApiResponse({ status: 422, description: 'Business rule broken, e.g. OPERATION.DELIVERY_EXCEEDS_PLANNED' })
  recordDelivery(@Param() p: OperationIdParam, @Body() body: RecordDeliveryDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<CommandResult> {
    return this.commands.send('operation.RecordLogementsDelivery', { operationId: p.operationId, ...body }, req, res);
  }

  @Get(':operationId')
  @ApiOperation({ summary: "An operation's event history and version (ETag)" })
  async get(@Param() p: OperationIdParam, @Res({ passthrough: true }) res: Response): Promise<StreamView> {
    const view = await this.queries.execute<GetStream, StreamView>(new GetStream(operationStream(p.operationId)));
    if (view.version === 0) throw notFound('OPERATION.NOT_FOUND', `No operation ${p.operationId}`, 'operationId');
    res.setHeader('ETag', `"${view.version}"`);
    return view;
  }
}
