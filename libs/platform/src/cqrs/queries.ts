import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { type EventStore, type RecordedEvent } from '@erbm/event-store';
import {
  type AsOf,
  type BilanReport,
  type EnergyResults,
  type GroupTimeline,
  type InsertionDimension,
  type InsertionRow,
  type PhaseCount,
  type ProgressDimension,
  type ProjectionCheckpoint,
  type ProgressGroup,
  type ReadScope,
  type SnapshotAnswer,
  type SubsidyDimension,
  type SubsidyRow,
  type TimelinePoint,
  buildBilan,
  deliveredTimelineBy,
  readSnapshot,
  rollups,
  targetAsOf,
} from '@erbm/reporting';
import { type Backtest, type ForecastOptions, type LateOperation, type LogementsForecast, backtest, forecastLogements, lateOperationsAsOf } from '@erbm/forecasting';
import { type DataSource } from 'typeorm';
import { EVENT_STORE, READ_DB } from '../tokens';

/**
 * The read-model queries below answer with the value read in one snapshot of the read models and the projection
 * checkpoint it reflects (`readSnapshot`, ADR 0004): the API states it in the body and as the ETag. Figures are read
 * from the roll-ups kept by the `bilan` projection (`rollups.*`: the same results as the ledger scans, at a cost that
 * does not grow with the history; ADR 0014), except where noted; the drill-down lists the ledgers' events.
 */
export class GetBilan {
  constructor(readonly at: AsOf, readonly scope?: ReadScope) {}
}
@QueryHandler(GetBilan)
export class GetBilanHandler implements IQueryHandler<GetBilan, SnapshotAnswer<BilanReport>> {
  constructor(@Inject(READ_DB) private readonly db: DataSource) {}
  execute(q: GetBilan): Promise<SnapshotAnswer<BilanReport>> {
    return readSnapshot(this.db, (tx) => buildBilan(tx, q.at, q.scope));
  }
}

export interface LogementsProgress {
  asOf: string;
  target: number | null;
  delivered: number;
  by: ProgressDimension;
  /** Groups as the timelines' last cumulative figures (the estimated parts are in `/reports/bilan`). */
  groups: Pick<ProgressGroup, 'key' | 'label' | 'delivered'>[];
  /** Cumulative logements livrés by month, all operations. */
  timeline: TimelinePoint[];
  /** The same, for each group of the dimension. */
  timelineByGroup: GroupTimeline[];
  /** The projection checkpoint the answer reflects (set by the API from the snapshot). */
  checkpoint?: ProjectionCheckpoint;
}
export class GetLogementsProgress {
  constructor(readonly at: AsOf, readonly by: ProgressDimension, readonly scope?: ReadScope) {}
}
@QueryHandler(GetLogementsProgress)
export class GetLogementsProgressHandler implements IQueryHandler<GetLogementsProgress, SnapshotAnswer<LogementsProgress>> {
  constructor(@Inject(READ_DB) private readonly db: DataSource) {}
  execute(q: GetLogementsProgress): Promise<SnapshotAnswer<LogementsProgress>> {
    return readSnapshot(this.db, async (tx) => {
      const target = await targetAsOf(tx, q.at);
      const timeline = await rollups.deliveredTimeline(tx, q.at, q.scope);
      // By financer from the ledger: that roll-up (a row per operation and month, joined to the decided grants) was
      // slower than the ledger scan at 1 000 000 events (docs/performance.md, issue 9).
      const timelineByGroup = await (q.by === 'financer' ? deliveredTimelineBy : rollups.deliveredTimelineBy)(tx, q.at, q.by, q.scope);
      // The total and the groups are the timelines' last cumulative figures (`deliveredTimelineBy` lists the groups of
      // `deliveredBy`, in its order, and leaves out only months of 0): two queries fewer, the same answer.
      const last = (points: TimelinePoint[]) => points.at(-1)?.cumulative ?? 0;
      return {
        asOf: q.at.asOf,
        target: target?.logements ?? null,
        delivered: last(timeline),
        by: q.by,
        groups: timelineByGroup.map((g) => ({ key: g.key, label: g.label, delivered: last(g.points) })),
        timeline,
        timelineByGroup,
      };
    });
  }
}

export class GetOperationsByPhase {
  constructor(readonly at: AsOf, readonly scope?: ReadScope) {}
}
@QueryHandler(GetOperationsByPhase)
export class GetOperationsByPhaseHandler implements IQueryHandler<GetOperationsByPhase, SnapshotAnswer<PhaseCount[]>> {
  constructor(@Inject(READ_DB) private readonly db: DataSource) {}
  execute(q: GetOperationsByPhase): Promise<SnapshotAnswer<PhaseCount[]>> {
    // From the phase roll-up (ADR 0022), estimated parts included (ADR 0021).
    return readSnapshot(this.db, (tx) => rollups.operationsByPhase(tx, q.at, q.scope));
  }
}

export class GetSubsidies {
  constructor(readonly at: AsOf, readonly groupBy: SubsidyDimension[], readonly scope?: ReadScope) {}
}
@QueryHandler(GetSubsidies)
export class GetSubsidiesHandler implements IQueryHandler<GetSubsidies, SnapshotAnswer<SubsidyRow[]>> {
  constructor(@Inject(READ_DB) private readonly db: DataSource) {}
  execute(q: GetSubsidies): Promise<SnapshotAnswer<SubsidyRow[]>> {
    return readSnapshot(this.db, (tx) => rollups.subsidies(tx, q.at, q.groupBy, {}, q.scope));
  }
}

export class GetInsertion {
  constructor(readonly at: AsOf, readonly groupBy: InsertionDimension[], readonly scope?: ReadScope) {}
}
@QueryHandler(GetInsertion)
export class GetInsertionHandler implements IQueryHandler<GetInsertion, SnapshotAnswer<InsertionRow[]>> {
  constructor(@Inject(READ_DB) private readonly db: DataSource) {}
  execute(q: GetInsertion): Promise<SnapshotAnswer<InsertionRow[]>> {
    return readSnapshot(this.db, (tx) => rollups.insertionStats(tx, q.at, q.groupBy, {}, q.scope));
  }
}

export class GetEnergy {
  constructor(readonly at: AsOf, readonly scope?: ReadScope) {}
}
@QueryHandler(GetEnergy)
export class GetEnergyHandler implements IQueryHandler<GetEnergy, SnapshotAnswer<EnergyResults>> {
  constructor(@Inject(READ_DB) private readonly db: DataSource) {}
  execute(q: GetEnergy): Promise<SnapshotAnswer<EnergyResults>> {
    return readSnapshot(this.db, async (tx) => {
      const target = await targetAsOf(tx, q.at);
      return rollups.energyResults(tx, q.at, target?.energyGoalKwhPerM2Year ?? 130, q.scope);
    });
  }
}

/** An aggregate's stream (operation, grant, cité…) with its version, read from the event store. */
export interface StreamView {
  streamId: string;
  version: number;
  events: RecordedEvent[];
}
export class GetStream {
  constructor(readonly streamId: string) {}
}
@QueryHandler(GetStream)
export class GetStreamHandler implements IQueryHandler<GetStream, StreamView> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}
  async execute(q: GetStream): Promise<StreamView> {
    const { version, events } = await this.store.readStream(q.streamId);
    return { streamId: q.streamId, version, events };
  }
}

export class GetLogementsForecast {
  constructor(readonly at: AsOf, readonly opts: ForecastOptions, readonly scope?: ReadScope) {}
}
@QueryHandler(GetLogementsForecast)
export class GetLogementsForecastHandler implements IQueryHandler<GetLogementsForecast, LogementsForecast> {
  constructor(@Inject(READ_DB) private readonly db: DataSource) {}
  execute(q: GetLogementsForecast): Promise<LogementsForecast> {
    return forecastLogements(this.db, q.at, q.opts, q.scope);
  }
}

export class GetForecastBacktest {
  constructor(
    readonly q: { origins?: readonly string[]; horizonMonths?: number },
    readonly opts: { seed?: number; runs?: number },
    readonly scope?: ReadScope,
  ) {}
}
@QueryHandler(GetForecastBacktest)
export class GetForecastBacktestHandler implements IQueryHandler<GetForecastBacktest, Backtest> {
  constructor(@Inject(READ_DB) private readonly db: DataSource) {}
  execute(q: GetForecastBacktest): Promise<Backtest> {
    return backtest(this.db, q.q, q.opts, q.scope);
  }
}

export class GetLateOperations {
  constructor(readonly at: AsOf, readonly scope?: ReadScope) {}
}
@QueryHandler(GetLateOperations)
export class GetLateOperationsHandler implements IQueryHandler<GetLateOperations, LateOperation[]> {
  constructor(@Inject(READ_DB) private readonly db: DataSource) {}
  execute(q: GetLateOperations): Promise<LateOperation[]> {
    return lateOperationsAsOf(this.db, q.at, q.scope);
  }
}

export const QUERY_HANDLERS = [
  GetLogementsForecastHandler,
  GetForecastBacktestHandler,
  GetLateOperationsHandler,
  GetBilanHandler,
  GetLogementsProgressHandler,
  GetOperationsByPhaseHandler,
  GetSubsidiesHandler,
  GetInsertionHandler,
  GetEnergyHandler,
  GetStreamHandler,
];
