import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { grantStream } from '@erbm/funding';
import { insertionStream } from '@erbm/insertion';
import { operationStream } from '@erbm/operations';
import { type AggregateKind, GetStream, STREAM_VISIBILITY, type StreamView, type StreamVisibility } from '@erbm/platform';
import { type HistoryEntry, history } from '@erbm/stream-history';
import { notFound } from '@erbm/shared';
import { Request, Response } from 'express';
import { scopeOf } from '../auth/roles';
import { ApiAuth, ApiRead, COPIL_REFUSED } from '../http/api-docs';
import { DeclarationIdParam, GrantIdParam, OperationIdParam } from '../http/params';
import { HistoryViewDto } from './dto/history.dto';

export interface HistoryView {
  streamId: string;
  version: number;
  entries: HistoryEntry[];
}

const HistoryDoc = (summary: string, notFoundCode: string): MethodDecorator =>
  ApiRead({
    summary,
    description:
      'Every event of the aggregate in order: position, type, knowledge time (recordedAt), business date, actor (organisation, user, channel, client), correlation and command ids, a French summary, and for corrections and amendments the changed fields (before → after) with the reason. ETag: the stream version.',
    type: HistoryViewDto,
    returns: 'The history',
    headers: { ETag: 'The stream version, quoted ("7")' },
    forbidden: COPIL_REFUSED,
    notFound: notFoundCode,
  });

/** Audit history of operations, grants and insertion declarations (libs/stream-history). */
@ApiTags('history')
@ApiAuth()
@Controller()
export class HistoryController {
  constructor(@Inject(QueryBus) private readonly queries: QueryBus, @Inject(STREAM_VISIBILITY) private readonly visibility: StreamVisibility) {}

  /** The history of one aggregate; out of the caller's read scope it answers 404, as if it did not exist. */
  private async history(kind: AggregateKind, id: string, streamId: string, missing: () => Error, req: Request, res: Response): Promise<HistoryView> {
    if (!(await this.visibility.canSee(scopeOf(req), kind, id))) throw missing();
    const view = await this.queries.execute<GetStream, StreamView>(new GetStream(streamId));
    if (view.version === 0) throw missing();
    res.setHeader('ETag', `"${view.version}"`);
    return { streamId, version: view.version, entries: history(view.events) };
  }

  @Get('operations/:operationId/history')
  @HistoryDoc("An operation's history: who did what, when, and what changed", 'OPERATION.NOT_FOUND')
  operation(@Param() p: OperationIdParam, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<HistoryView> {
    return this.history('operation', p.operationId, operationStream(p.operationId), () => notFound('OPERATION.NOT_FOUND', `No operation ${p.operationId}`, 'operationId'), req, res);
  }

  @Get('grants/:grantId/history')
  @HistoryDoc("A grant's history: decision, amendments (before → after), payments, cancellation", 'GRANT.NOT_FOUND')
  grant(@Param() p: GrantIdParam, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<HistoryView> {
    return this.history('grant', p.grantId, grantStream(p.grantId), () => notFound('GRANT.NOT_FOUND', `No grant ${p.grantId}`, 'grantId'), req, res);
  }

  @Get('insertion/declarations/:declarationId/history')
  @HistoryDoc("An insertion declaration's history: declaration and corrections (before → after)", 'INSERTION.NOT_FOUND')
  declaration(@Param() p: DeclarationIdParam, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<HistoryView> {
    return this.history('insertion', p.declarationId, insertionStream(p.declarationId), () => notFound('INSERTION.NOT_FOUND', `No insertion declaration ${p.declarationId}`, 'declarationId'), req, res);
  }
}
