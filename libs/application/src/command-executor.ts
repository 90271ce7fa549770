import { createHash } from 'node:crypto';
import { type Attributes, type Span, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  type Actor,
  DuplicateEventError,
  type EventStore,
  type NewEvent,
  WrongExpectedVersionError,
  eventIdFor,
  eventIdV1,
} from '@erbm/event-store';
import { type Aggregate, type AnyUseCase, type Clock, DomainError, type DomainEvent, invalid } from '@erbm/shared';
import { AggregateStates, type AggregateStatesOptions } from './aggregate-states';
import { type ContentionPolicy, DEFAULT_CONTENTION_POLICY, LostRace, retryOnContention } from './contention-retry';
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

/** 409 COMMAND.ID_REUSED: the idempotency key was already used by this organisation for a different command. */
const idReused = (commandId: string): DomainError =>
  new DomainError('COMMAND.ID_REUSED', 'conflict', `Command id (Idempotency-Key) "${commandId}" was already used for a different command; use a new one`);

/** 403 AUTH.NOT_OWNER, naming no organisation but the caller's own. */
const notOwner = (actor: Actor, type: string, why: string): DomainError => new DomainError('AUTH.NOT_OWNER', 'forbidden', `${actor.organisation} may not issue ${type} ${why}`);

/** An aggregate whose read scope the executor asks about: the command's own stream, or a fact's. */
export interface AggregateRef {
  /** `operation`, `grant`, `insertion` (the readable streams), or a fact kind (`cite`…). */
  kind: string;
  id: string;
}

/**
 * Whether `organisation` may read `ref` (the API's read scope, ADR 0007). The executor asks only when the caller
 * is not the owner of what a command writes: readable → 403 AUTH.NOT_OWNER, otherwise the answer to an unknown
 * aggregate (404). Default: nothing is readable, so every write out of ownership answers as if unknown.
 */
export type ReadScopeCheck = (organisation: string, ref: AggregateRef) => Promise<boolean>;

/** Stream prefixes of the readable aggregates (`operation-<id>`, `grant-<id>`, `insertion-<id>`). */
const READABLE_STREAM = /^(operation|grant|insertion)-(.+)$/;

export interface CommandExecutorOptions {
  /** The use cases by command type (default: every context's, `buildRegistry()`). */
  registry?: Map<string, AnyUseCase>;
  /** Told the outcome of every command (the API's metrics). */
  observer?: CommandObserver;
  /** Read scope of the caller, see {@link ReadScopeCheck}. */
  canRead?: ReadScopeCheck;
  /** Retries of commands without If-Match that lose the race for their stream (default DEFAULT_CONTENTION_POLICY). */
  contention?: ContentionPolicy;
  /** Snapshots and the in-process cache of aggregate states (ADR 0016; default: snapshot every 100 events, 1 000 states kept). */
  states?: AggregateStatesOptions;
}

/**
 * Runs a command end to end: parse → load the aggregate's state and resolve facts (at once) → (idempotency: the same
 * organisation's command id already stored) → check the acting organisation → (If-Match) → decide → append with the
 * expected version read. The state comes from a kept state or a snapshot plus the events after it
 * (`AggregateStates`, ADR 0016), so a command's cost does not grow with its stream's length. A concurrent writer makes the append fail on version; without If-Match the whole try is
 * run again on fresh state, with jittered back-off (`retryOnContention`, DEFAULT_CONTENTION_POLICY).
 *
 * Out of scope is not found (ADR 0018): a caller that neither owns nor may read the aggregate a command writes (or
 * the operation it refers to) gets exactly the error of an unknown aggregate, and an unknown stream answers its 404
 * before any version check.
 *
 * Errors: DomainError (validation 400, rule 422, not-found 404, conflict 409, forbidden 403, concurrency 412);
 * a command id already used by the same organisation for a different command (other data or another stream):
 * 409 COMMAND.ID_REUSED; ContentionError (409 COMMAND.CONTENTION, with a Retry-After) when every try lost.
 */
export class CommandExecutor {
  private readonly registry: Map<string, AnyUseCase>;
  private readonly facts: FactResolver;
  private readonly observer?: CommandObserver;
  private readonly canRead: ReadScopeCheck;
  private readonly contention: ContentionPolicy;
  private readonly states: AggregateStates;

  /**
   * @param options.registry the use cases by command type (default: every context's, `buildRegistry()`);
   * @param options.observer told the outcome of every command (the API's metrics);
   * @param options.canRead the caller's read scope (default: nothing readable);
   * @param options.states snapshots and kept states (ADR 0016).
   */
  constructor(private readonly store: EventStore, private readonly clock: Clock, options: CommandExecutorOptions = {}) {
    this.registry = options.registry ?? buildRegistry();
    this.states = new AggregateStates(store, options.states);
    this.facts = new FactResolver(store, this.states);
    this.observer = options.observer;
    this.canRead = options.canRead ?? (() => Promise.resolve(false));
    this.contention = options.contention ?? DEFAULT_CONTENTION_POLICY;
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
        const prepared = this.prepare(envelope);
        const result = await retryOnContention(() => this.tryOnce(envelope, prepared), this.contention);
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

  /** Checks the envelope and parses the command (no I/O). */
  private prepare(envelope: CommandEnvelope): Prepared {
    const useCase = this.registry.get(envelope.type);
    if (!useCase) throw invalid([{ field: 'type', rule: 'isKnownCommand', message: `unknown command type "${envelope.type}"` }]);
    if (typeof envelope.commandId !== 'string' || !COMMAND_ID.test(envelope.commandId)) {
      throw invalid([{ field: 'commandId', rule: 'matches', message: 'must match [A-Za-z0-9._:-]{1,120}' }]);
    }
    if (envelope.knownAt !== undefined && (Number.isNaN(Date.parse(envelope.knownAt)) || envelope.knownAt > this.clock.now())) {
      throw invalid([{ field: 'knownAt', rule: 'isPastDateTime', message: 'must be an ISO date-time not in the future' }]);
    }
    const cmd: unknown = useCase.parse(envelope.data);
    const streamId = useCase.streamId(cmd);
    // The same key from the same organisation with other data is another command (409 COMMAND.ID_REUSED).
    const commandHash = createHash('sha256').update(envelope.actor.organisation).update('\n').update(envelope.type).update('\n').update(JSON.stringify(cmd)).digest('hex');
    return { useCase, cmd, streamId, commandHash };
  }

  /** One try: read, replay check, facts, scope, If-Match, decide, append. Throws LostRace when a writer got in first. */
  private async tryOnce(envelope: CommandEnvelope, { useCase, cmd, streamId, commandHash }: Prepared): Promise<CommandResult> {
    const { organisation } = envelope.actor;
    const aggregate = useCase.aggregate as Aggregate<unknown, DomainEvent>;
    // The stream's state (kept state or snapshot, plus the events after it), where the command's first event is
    // stored (idempotency: its v2 id, or its v1 id for commands recorded before ADR 0018), and the facts the decision
    // needs: read at once, one round trip each.
    // A use case naming an entity of its aggregate (`keyed`: one delivery) also gets that entity's latest event, read
    // with the state (ADR 0023).
    const keyed = useCase.keyed?.(cmd);
    const [loaded, facts] = await Promise.all([
      inSpan('eventstore.read', { 'erbm.stream.id': streamId }, () =>
        this.states.load(
          streamId,
          aggregate,
          eventIdFor(organisation, envelope.commandId, 0),
          eventIdV1(envelope.commandId, 0),
          keyed && { field: keyed.field, value: keyed.value },
        ),
      ),
      this.resolveContext(useCase, cmd),
    ]);
    const ctx = keyed ? { ...facts, [keyed.as]: loaded.keyedEvent && { type: loaded.keyedEvent.type, data: loaded.keyedEvent.data } } : facts;
    const { version, state } = loaded;
    // Keys are scoped to the organisation (ADR 0018): a v1 event of another organisation with this key is not a replay.
    const storedEvent = loaded.storedEvent?.metadata.actor?.organisation === organisation ? loaded.storedEvent : null;
    if (storedEvent) {
      // Stored in another stream, or from other data: this organisation reused the key.
      if (storedEvent.streamId !== streamId || (storedEvent.metadata.commandHash && storedEvent.metadata.commandHash !== commandHash)) throw idReused(envelope.commandId);
      // A command's events are appended together: they follow its first one.
      const after = await this.store.loadStream(streamId, { knownVersion: storedEvent.streamPosition - 1 });
      const previous = after.events.filter((e) => e.metadata.commandId === envelope.commandId && e.metadata.actor?.organisation === organisation);
      return { commandId: envelope.commandId, streamId, version, events: previous.map((e) => ({ eventId: e.eventId, type: e.type })), duplicate: true };
    }
    await this.authorize(useCase, cmd, state, ctx, envelope.actor, streamId);
    if (envelope.expectedVersion !== undefined && envelope.expectedVersion !== version) {
      // An unknown stream is not found, whatever version the caller expected.
      if (version === 0) rethrowNotFound(() => useCase.decide(cmd, state, ctx));
      throw new DomainError('COMMAND.STALE_VERSION', 'concurrency', `The stream is at version ${version}, not ${envelope.expectedVersion}; read it again`);
    }
    const decided: DomainEvent[] = useCase.decide(cmd, state, ctx);
    const recordedAt = this.recordedAt(envelope);
    const newEvents: NewEvent[] = decided.map((e, i) => ({
      eventId: eventIdFor(organisation, envelope.commandId, i),
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
      // Event ids derive from the organisation and the command id: ids already stored in another stream mean that
      // this organisation reused the key.
      if (e instanceof DuplicateEventError) throw idReused(envelope.commandId);
      if (e instanceof WrongExpectedVersionError) {
        if (envelope.expectedVersion !== undefined) {
          throw new DomainError('COMMAND.STALE_VERSION', 'concurrency', `The stream changed while the command ran (now version ${e.actual}); read it again`);
        }
        throw new LostRace(streamId);
      }
      throw e;
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
   * One place for write permissions: the délégation may issue every command; any other organisation only the
   * commands whose `owner` (bailleur of the operation, EPCI of the territory, financer of the grant) it is.
   * Reference data and identity (owner null) are the délégation's. Over HTTP, the API's AccessGuard first checks
   * the caller's role per route (ADR 0007); this is the domain check of the acting organisation.
   *
   * When ownership comes from stored data (the stream's state, or a fact read from another stream) and the caller
   * may not read that data either, the answer is the one the command gets when that data does not exist (404
   * `OPERATION.NOT_FOUND`…): out of scope is not found, on writes too (ADR 0018). No detail names the owner.
   */
  private async authorize(useCase: AnyUseCase, cmd: unknown, state: unknown, ctx: Record<string, unknown>, actor: Actor, streamId: string): Promise<void> {
    if (actor.organisation === 'delegation') return;
    const ownerOf = (s: unknown, c: Record<string, unknown>): string | null => useCase.owner?.(cmd, s, c) ?? null;
    const owner = ownerOf(state, ctx);
    if (owner !== null && owner === actor.organisation) return;
    if (owner === null) {
      // Nothing to own: the target (or a thing it refers to) may not exist. Saying so is no secret: 404 first.
      rethrowNotFound(() => useCase.decide(cmd, state, ctx));
      throw notOwner(actor, useCase.type, '(reserved to the délégation)');
    }
    // What makes `owner` the owner: this stream's state, facts of other streams, or only the command's own fields.
    const blank: unknown = useCase.aggregate.initialState();
    const byState = ownerOf(blank, ctx) !== owner;
    const byFacts = Object.keys(ctx).filter((k) => ctx[k] !== null && ownerOf(state, { ...ctx, [k]: null }) !== owner);
    if (!byState && byFacts.length === 0) throw notOwner(actor, useCase.type, 'for another organisation');
    const lookups = (useCase.lookups?.(cmd) ?? {}) as Record<string, { fact: string; id: string } | undefined>;
    const refs: AggregateRef[] = [];
    const own = READABLE_STREAM.exec(streamId);
    if (byState) refs.push(own ? { kind: own[1], id: own[2] } : { kind: 'stream', id: streamId });
    for (const k of byFacts) {
      const l = lookups[k];
      if (l) refs.push({ kind: l.fact, id: l.id });
    }
    const readable = (await Promise.all(refs.map((r) => this.canRead(actor.organisation, r)))).every(Boolean);
    if (!readable) {
      const unknownCtx = { ...ctx, ...Object.fromEntries(byFacts.map((k) => [k, null])) };
      rethrowNotFound(() => useCase.decide(cmd, byState ? blank : state, unknownCtx));
    }
    throw notOwner(actor, useCase.type, 'here (only its owner or the délégation may)');
  }

  private recordedAt(envelope: CommandEnvelope): string {
    const backfill = envelope.knownAt !== undefined && (envelope.actor.channel === 'import' || envelope.actor.channel === 'cli');
    return backfill ? new Date(envelope.knownAt as string).toISOString() : this.clock.now();
  }
}

/** A parsed command and what derives from it, computed once for every try. */
interface Prepared {
  useCase: AnyUseCase;
  cmd: unknown;
  streamId: string;
  commandHash: string;
}

/** Runs `decide` for its errors only: rethrows a not-found DomainError, ignores anything else. */
function rethrowNotFound(decide: () => unknown): void {
  try {
    decide();
  } catch (e) {
    if (e instanceof DomainError && e.kind === 'not-found') throw e;
  }
}
