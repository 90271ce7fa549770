import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import { type EventStore } from '@erbm/event-store';
import { CLOCK, EVENT_STORE, READ_DB } from '@erbm/platform';
import { type FigureEvents, figureEvents, figureSpec } from '@erbm/reporting';
import { type Clock } from '@erbm/shared';
import { Request, Response } from 'express';
import { type DataSource } from 'typeorm';
import { ApiAuth, ApiRead, COPIL_REFUSED } from '../http/api-docs';
import { AsOfQuery, resolveAsOf } from '../http/as-of.dto';
import { RequestInvalid } from '../http/problem-details.filter';
import { DEFAULT_ROLES, Roles, scopeOf } from '../auth/roles';
import { FigureEventsDto } from './dto/read-models.dto';
import { conditionalRead } from './snapshot-etag';

/**
 * Drill-down: the events behind a figure of the bilan (the links of its `figures` section). Events are stream
 * contents, so the comité de pilotage, which reads aggregates only, is refused (403) like on every stream read.
 * The rows are read in one snapshot; the answer states its checkpoint and carries it as a weak ETag
 * (`If-None-Match` with the current tag answers 304 without reading the rows).
 */
@ApiTags('read models')
@ApiAuth()
@Roles(...DEFAULT_ROLES)
@Controller('reports/bilan/figures')
export class FiguresController {
  constructor(
    @Inject(READ_DB) private readonly db: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get(':key/events')
  @ApiRead({ snapshot: true,
    summary: 'The events behind a figure of the bilan, with each one’s contribution (their sum is the figure), scoped like the figure',
    type: FigureEventsDto,
    badRequest: 'unknown figure key (`path:key`)',
    forbidden: COPIL_REFUSED,
  })
  @ApiParam({ name: 'key', example: 'logements.byEpci.CALL', description: 'Figure key, as in the `figures` section of GET /reports/bilan' })
  async events(@Param('key') key: string, @Query() q: AsOfQuery, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<FigureEvents | null> {
    if (key.length > 200) throw new RequestInvalid([{ field: 'path:key', rule: 'isFigureKey', message: 'unknown figure key' }]);
    const unknown = () => new RequestInvalid([{ field: 'path:key', rule: 'isFigureKey', message: `unknown figure key "${key}"; see the figures section of GET /reports/bilan` }]);
    if (!figureSpec(key)) throw unknown();
    const at = resolveAsOf(q, this.clock.now());
    const scope = scopeOf(req);
    const a = await conditionalRead(this.db, req, res, { path: req.path, query: { ...at, key }, scope }, async () => {
      const result = await figureEvents(this.db, this.store, key, at, scope);
      if (!result) throw unknown();
      return { checkpoint: result.checkpoint, value: result };
    });
    return a && a.value;
  }
}
