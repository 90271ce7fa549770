import { createHash } from 'node:crypto';
import { buildRegistry } from '@erbm/application';
import { type Actor, type NewEvent, eventIdFor } from '@erbm/event-store';
import { grantAggregate, grantStream } from '@erbm/funding';
import { operationAggregate, operationFacts, operationStream } from '@erbm/operations';
import { programmeFactSources } from '@erbm/programme';
import { type Aggregate, type AnyUseCase, type DomainEvent, type FactKind } from '@erbm/shared';

/** A command as the generator issues it (the shape of a line of the import format). */
export interface BenchCommand {
  commandId: string;
  type: string;
  data: Record<string, unknown>;
  organisation: string;
  /** Knowledge time of the events (ISO date-time, UTC). */
  knownAt: string;
}

/** An event ready for `es_events`: the stream, its position and the stored fields. */
export interface GeneratedEvent extends NewEvent {
  streamId: string;
  streamPosition: number;
  recordedAt: string;
}

interface FactSource {
  aggregate: Aggregate<unknown, DomainEvent>;
  streamId(id: string): string;
  facts(state: unknown): unknown;
}

/** The fact sources of `libs/application/src/facts.ts`, restated (that map is private) for the kinds used here. */
const SOURCES: Partial<Record<FactKind, FactSource>> = {
  ...(programmeFactSources as unknown as Record<'epci' | 'financer' | 'bailleur' | 'cite', FactSource>),
  operation: { aggregate: operationAggregate as Aggregate<unknown, DomainEvent>, streamId: operationStream, facts: operationFacts as (s: unknown) => unknown },
  grant: {
    aggregate: grantAggregate as Aggregate<unknown, DomainEvent>,
    streamId: grantStream,
    facts: (s: unknown) => {
      const g = s as ReturnType<typeof grantAggregate.initialState>;
      return g.status === 'none' || !g.grantId || !g.financerCode || !g.operationId ? null : { grantId: g.grantId, financerCode: g.financerCode, operationId: g.operationId };
    },
  },
};

/**
 * The command path of `CommandExecutor` (parse → fold → facts → owner → decide → events with the executor's
 * metadata), in memory and incremental: each stream's state is kept folded, so a command costs O(1) folds instead
 * of re-reading its stream. The events are exactly those the domain decides; a rule violation throws (a bug of
 * the generator, never skipped).
 */
export class InMemoryDomain {
  private readonly registry: Map<string, AnyUseCase> = buildRegistry();
  private readonly streams = new Map<string, { state: unknown; version: number }>();
  /** The latest event of each keyed entity (`UseCase.keyed`), by stream, field and value. */
  private readonly keyedEvents = new Map<string, DomainEvent>();

  /** Number of streams held (memory grows with it). */
  get streamCount(): number {
    return this.streams.size;
  }

  execute(c: BenchCommand): GeneratedEvent[] {
    const useCase = this.registry.get(c.type);
    if (!useCase) throw new Error(`unknown command type ${c.type}`);
    const cmd: unknown = useCase.parse(c.data);
    const streamId = useCase.streamId(cmd);
    const commandHash = createHash('sha256').update(c.organisation).update('\n').update(c.type).update('\n').update(JSON.stringify(cmd)).digest('hex');
    const stream = this.streams.get(streamId) ?? { state: useCase.aggregate.initialState() as unknown, version: 0 };
    const ctx: Record<string, unknown> = {};
    for (const [name, lookup] of Object.entries(useCase.lookups?.(cmd) ?? {})) {
      if (!lookup) {
        ctx[name] = null;
        continue;
      }
      const source = SOURCES[lookup.fact];
      if (!source) throw new Error(`no fact source ${lookup.fact}`);
      const s = this.streams.get(source.streamId(lookup.id));
      ctx[name] = source.facts(s ? s.state : source.aggregate.initialState());
    }
    const keyed = useCase.keyed?.(cmd);
    const keyOf = (value: string) => `${streamId}\n${keyed?.field}\n${value}`;
    if (keyed) ctx[keyed.as] = this.keyedEvents.get(keyOf(keyed.value)) ?? null;
    if (c.organisation !== 'delegation') {
      const owner: unknown = useCase.owner?.(cmd, stream.state, ctx) ?? null;
      if (owner !== c.organisation) throw new Error(`${c.organisation} may not issue ${c.type} (${c.commandId}); owner ${String(owner)}`);
    }
    const decided: DomainEvent[] = useCase.decide(cmd, stream.state, ctx);
    const actor: Actor = { organisation: c.organisation, user: 'bench', channel: 'import' };
    const events = decided.map((e, i): GeneratedEvent => {
      stream.state = useCase.aggregate.evolve(stream.state, e);
      const value = keyed && (e.data as Record<string, unknown>)[keyed.field];
      if (typeof value === 'string') this.keyedEvents.set(keyOf(value), e);
      return {
        eventId: eventIdFor(c.organisation, c.commandId, i),
        streamId,
        streamPosition: stream.version + i + 1,
        type: e.type,
        data: e.data as Record<string, unknown>,
        recordedAt: c.knownAt,
        metadata: { commandId: c.commandId, commandHash, correlationId: c.commandId, causationId: c.commandId, actor, source: 'bench/generate.ts', estimated: true },
      };
    });
    stream.version += events.length;
    this.streams.set(streamId, stream);
    return events;
  }
}
