import { createHash } from 'node:crypto';
import { type Attributes, type Span, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  type Actor,
  DuplicateEventError,
  type EventStore,
  type NewEvent,
  WrongExpectedVersionError,
  eventIdFor,
} from '@erbm/event-store';
import { type Aggregate, type AnyUseCase, type Clock, DomainError, type DomainEvent, invalid } from '@erbm/shared';
import { AggregateStates, type AggregateStatesOptions } from './aggregate-states';
import { FactResolver } from './facts';
import { buildRegistry } from './registry';

/**
 * A command as it reaches the application from any channel (API, import, CLI). Same shape as a line of the
 * import format (docs/import-format.md).
 */
export interface CommandEnvelope {
  /** Idempotency key: a command id already applied to its stream appends nothing and returns the first result. */
  commandId: string;
  type: string;
  data: unknown;
  actor: Actor;
  /**
   * Correlation id of the request or import that sent the command (over HTTP: the one echoed in `X-Request-Id`),
   * stored in `metadata.correlationId` of every event appended; default: the command id.
   */
  correlationId?: string;
  /** Backfill only: knowledge time recorded on the events (ISO date-time). Honoured for channels import/cli. */
  knownAt?: string;
  source?: string | null;
  estimated?: boolean;
  /** Expected stream version (HTTP If-Match). When given, a different current version fails with 412. */
  expectedVersion?: number;
}

export interface CommandResult {
  commandId: string;
  streamId: string;
  /** Stream version after the command (the ETag of the aggregate). */
  version: number;
  events: { eventId: string; type: string }[];
  /** True when this command id had already been applied: nothing was appended. */
  duplicate: boolean;
}

/** How a command ended: applied, a retry of one already applied, or refused (with its error code). */
export type CommandOutcome = 'accepted' | 'duplicate' | 'rejected';

/** What the executor reports about each command it ran (metrics). */
export interface CommandObservation {
  /** The command type; `unknown` when the type is not a registered one (it is caller input). */
  type: string;
  outcome: CommandOutcome;
  /** DomainError code of a rejection (`COMMAND.INVALID`…), `INTERNAL` for an unexpected error; null otherwise. */
  code: string | null;
  /** Wall-clock duration of the execution, in seconds. */
  seconds: number;
}

export type CommandObserver = (observation: CommandObservation) => void;

/** OpenTelemetry tracer of the application layer: spans `command <type>`, `eventstore.read`, `eventstore.append`. */
const tracer = trace.getTracer('erbm.application');

/** Runs `fn` in an active span that ends with it; an error other than a DomainError marks the span as failed. */
async function inSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (e) {
      if (e instanceof DomainError) span.setAttribute('erbm.error.code', e.code);
      else {
        span.recordException(e as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (e as Error).message });
      }
      throw e;
    } finally {
      span.end();
    }
  });
}

const COMMAND_ID = /^[A-Za-z0-9._:-]{1,120}$/;

/** 409 COMMAND.ID_REUSED: the idempotency key was already used for a different command. */
const idReused = (commandId: string): DomainError =>
  new DomainError('COMMAND.ID_REUSED', 'conflict', `Command id (Idempotency-Key) "${commandId}" was already used for a different command; use a new one`);
const MAX_RETRIES = 3;

/**
 * Runs a command end to end: parse → load the aggregate's state and resolve facts (at once) → (idempotency) → check
 * the acting organisation → decide → append with the expected version read. A concurrent writer makes the append
 * fail on version; without If-Match the command is re-decided on fresh state (at most 3 times). The state comes from
 * a kept state or a snapshot plus the events after it (`AggregateStates`), so a command's cost does not grow with
 * its stream's length.
 *
 * Errors: DomainError (validation 400, rule 422, not-found 404, conflict 409, forbidden 403, concurrency 412);
 * a command id already used for a different command (other data or another stream): 409 COMMAND.ID_REUSED.
 */
export class CommandExecutor {
  private readonly registry: Map<string, AnyUseCase>;
  private readonly facts: FactResolver;
  private readonly states: AggregateStates;

  /**
   * @param registry the use cases by command type (default: every context's, `buildRegistry()`);
   * @param observer told the outcome of every command (the API's metrics);
   * @param states snapshots and the in-process cache of aggregate states (docs/adr/0016; default: snapshot every
   * 100 events, 1 000 states kept).
   */
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    registry?: Map<string, AnyUseCase>,
    private readonly observer?: CommandObserver,
    states?: AggregateStatesOptions,
  ) {
    this.registry = registry ?? buildRegistry();
    this.states = new AggregateStates(store, states);
    this.facts = new FactResolver(store, this.states);
  }

  get commandTypes(): string[] {
    return [...this.registry.keys()];
  }

  /**
   * Executes the command inside an OpenTelemetry span `command <type>` (attributes `erbm.command.type`,
   * `erbm.command.id`, `erbm.correlation_id`, then `erbm.stream.id`, `erbm.stream.version`, `erbm.command.outcome`)
   * and reports its outcome to the observer.
   */
  async execute(envelope: CommandEnvelope): Promise<CommandResult> {
    const known = this.registry.has(envelope.type);
    const type = known ? envelope.type : 'unknown';
    const started = performance.now();
    const observe = (outcome: CommandOutcome, code: string | null) => this.observer?.({ type, outcome, code, seconds: (performance.now() - started) / 1000 });
    return inSpan(`command ${type}`, { 'erbm.command.type': type, 'erbm.command.id': String(envelope.commandId), 'erbm.correlation_id': envelope.correlationId ?? String(envelope.commandId) }, async (span) => {
      try {
        const result = await this.run(envelope);
        const outcome = result.duplicate ? 'duplicate' : 'accepted';
        span.setAttributes({ 'erbm.stream.id': result.streamId, 'erbm.stream.version': result.version, 'erbm.command.outcome': outcome, 'erbm.events.count': result.events.length });
        observe(outcome, null);
        return result;
      } catch (e) {
        span.setAttribute('erbm.command.outcome', 'rejected');
        observe('rejected', e instanceof DomainError ? e.code : 'INTERNAL');
        throw e;
      }
    });
  }

  private async run(envelope: CommandEnvelope): Promise<CommandResult> {
    const useCase = this.registry.get(envelope.type);
    if (!useCase) throw invalid([{ field: 'type', rule: 'isKnownCommand', message: `unknown command type "${envelope.type}"` }]);
    if (typeof envelope.commandId !== 'string' || !COMMAND_ID.test(envelope.commandId)) {
      throw invalid([{ field: 'commandId', rule: 'matches', message: 'must match [A-Za-z0-9._:-]{1,120}' }]);
    }
    if (envelope.knownAt !== undefined && (Number.isNaN(Date.parse(envelope.knownAt)) || envelope.knownAt > this.clock.now())) {
      throw invalid([{ field: 'knownAt', rule: 'isPastDateTime', message: 'must be an ISO date-time not in the future' }]);
    }
    const cmd = useCase.parse(envelope.data);
    const streamId = useCase.streamId(cmd);
    // The same key from another organisation, or with other data, is another command (409 COMMAND.ID_REUSED).
    const commandHash = createHash('sha256').update(envelope.actor.organisation).update('\n').update(envelope.type).update('\n').update(JSON.stringify(cmd)).digest('hex');

    const aggregate = useCase.aggregate as Aggregate<unknown, DomainEvent>;
    for (let attempt = 1; ; attempt++) {
      // The stream's state (kept state or snapshot, plus the events after it), where the command's first event id is
      // stored (idempotency), and the facts the decision needs: read at once, one round trip each.
      const [loaded, ctx] = await Promise.all([
        inSpan('eventstore.read', { 'erbm.stream.id': streamId }, () => this.states.load(streamId, aggregate, eventIdFor(envelope.commandId, 0))),
        this.resolveContext(useCase, cmd),
      ]);
      const { version, state, storedEvent } = loaded;
      if (storedEvent) {
        // Event ids derive from the command id: stored elsewhere, or from other data, the id was reused.
        if (storedEvent.streamId !== streamId || (storedEvent.metadata.commandHash && storedEvent.metadata.commandHash !== commandHash)) throw idReused(envelope.commandId);
        // A command's events are appended together: they follow its first one.
        const after = await this.store.loadStream(streamId, { knownVersion: storedEvent.streamPosition - 1 });
        const previous = after.events.filter((e) => e.metadata.commandId === envelope.commandId);
        return { commandId: envelope.commandId, streamId, version, events: previous.map((e) => ({ eventId: e.eventId, type: e.type })), duplicate: true };
      }
      if (envelope.expectedVersion !== undefined && envelope.expectedVersion !== version) {
        throw new DomainError('COMMAND.STALE_VERSION', 'concurrency', `The stream is at version ${version}, not ${envelope.expectedVersion}; read it again`);
      }
      this.authorize(useCase, cmd, state, ctx, envelope.actor);
      const decided: DomainEvent[] = useCase.decide(cmd, state, ctx);
      const recordedAt = this.recordedAt(envelope);
      const newEvents: NewEvent[] = decided.map((e, i) => ({
        eventId: eventIdFor(envelope.commandId, i),
        type: e.type,
        data: e.data as Record<string, unknown>,
        recordedAt,
        metadata: {
          commandId: envelope.commandId,
          commandHash,
          correlationId: envelope.correlationId ?? envelope.commandId,
          causationId: envelope.commandId,
          actor: envelope.actor,
          source: envelope.source ?? null,
          estimated: envelope.estimated ?? false,
        },
      }));
      const next = this.states.next(aggregate, loaded, decided);
      try {
        const r = await inSpan('eventstore.append', { 'erbm.stream.id': streamId, 'erbm.stream.expected_version': version, 'erbm.events.count': newEvents.length }, () =>
          this.store.appendToStream(streamId, newEvents, { expectedVersion: version === 0 ? 'no-stream' : { exact: version }, snapshot: next.snapshot }),
        );
        if (!r.idempotentReplay) this.states.keep(streamId, aggregate, r.nextExpectedVersion, next.state);
        return { commandId: envelope.commandId, streamId, version: r.nextExpectedVersion, events: newEvents.map((e) => ({ eventId: e.eventId, type: e.type })), duplicate: r.idempotentReplay };
      } catch (e) {
        // Event ids derive from the command id: ids already stored in another stream mean the id was reused.
        if (e instanceof DuplicateEventError) throw idReused(envelope.commandId);
        if (e instanceof WrongExpectedVersionError) {
          if (envelope.expectedVersion !== undefined) {
            throw new DomainError('COMMAND.STALE_VERSION', 'concurrency', `The stream changed while the command ran (now version ${e.actual}); read it again`);
          }
          if (attempt < MAX_RETRIES) continue;
          throw new DomainError('COMMAND.CONTENTION', 'conflict', `Stream ${streamId} kept changing; retry the command`);
        }
        throw e;
      }
    }
  }

  private async resolveContext(useCase: AnyUseCase, cmd: unknown): Promise<Record<string, unknown>> {
    const lookups = useCase.lookups?.(cmd) ?? {};
    const entries = await Promise.all(
      Object.entries(lookups).map(async ([name, lookup]) => [name, lookup ? await this.facts.resolve(lookup.fact, lookup.id) : null] as const),
    );
    return Object.fromEntries(entries);
  }

  /**
   * One place for write permissions at this stage: the délégation may issue every command; any other organisation
   * only the commands whose `owner` (bailleur of the operation, EPCI of the territory, financer of the grant) it is.
   * Reference data and identity (owner null) are the délégation's. Over HTTP, the API's AccessGuard first checks
   * the caller's role per route (ADR 0007); this is the domain check of the acting organisation.
   */
  private authorize(useCase: AnyUseCase, cmd: unknown, state: unknown, ctx: Record<string, unknown>, actor: Actor): void {
    if (actor.organisation === 'delegation') return;
    const owner = useCase.owner?.(cmd, state, ctx) ?? null;
    if (owner === null) {
      // Nothing to own: the target (or a thing it refers to) may not exist. Saying so is no secret: 404 first.
      try {
        useCase.decide(cmd, state, ctx);
      } catch (e) {
        if (e instanceof DomainError && e.kind === 'not-found') throw e;
      }
    }
    if (owner === null || owner !== actor.organisation) {
      throw new DomainError('AUTH.NOT_OWNER', 'forbidden', `${actor.organisation} may not issue ${useCase.type} here${owner ? ` (reserved to ${owner})` : ' (reserved to the délégation)'}`);
    }
  }

  private recordedAt(envelope: CommandEnvelope): string {
    const backfill = envelope.knownAt !== undefined && (envelope.actor.channel === 'import' || envelope.actor.channel === 'cli');
    return backfill ? new Date(envelope.knownAt as string).toISOString() : this.clock.now();
  }
}
