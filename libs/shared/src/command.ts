import { type DomainEvent } from './decider';
import { type FactKind } from './facts';

/**
 * How a bounded context declares one use case to the application layer:
 * - `type`: the command type string (`funding.DecideGrant`), the same in the API, the import format and the CLI;
 * - `parse`: validates raw command data (throws DomainError COMMAND.INVALID naming each field);
 * - `streamId`: the aggregate stream the command writes to;
 * - `lookups`: other streams whose state the decision needs (read-only facts), by name;
 * - `keyed`: an entity inside the aggregate the decision needs by key (one delivery of an operation): the stream's
 *   latest event carrying the key, read with the state and given to `decide` as `ctx[as]` (null: none), so the
 *   state need not hold every entity (docs/adr/0023);
 * - `decide`: the pure decision, given the aggregate's state and the looked-up facts.
 * The aggregate (its `evolve`/`initialState`) is named by `aggregate`.
 */
export interface UseCase<Cmd, State, Event extends DomainEvent, Ctx = Record<string, never>> {
  type: string;
  aggregate: Aggregate<State, Event>;
  parse(data: unknown): Cmd;
  streamId(cmd: Cmd): string;
  lookups?(cmd: Cmd): Partial<Record<keyof Ctx, Lookup>>;
  keyed?(cmd: Cmd): KeyedLookup<keyof Ctx & string>;
  decide(cmd: Cmd, state: State, ctx: Ctx): Event[];
  /** Organisation allowed to issue the command besides the délégation, derived from the command and state. */
  owner?(cmd: Cmd, state: State, ctx: Ctx): string | null;
  /**
   * The command's business dates by field (`deliveredOn`, `plannedDates.travaux`; null or absent when not given):
   * each must lie in the programme's window (`withProgrammeWindow`, programme-window.ts), checked in the decision.
   */
  businessDates?(cmd: Cmd): Record<string, string | null | undefined>;
}

export interface Aggregate<State, Event extends DomainEvent> {
  name: string;
  /**
   * Version of `initialState`/`evolve` (and of the state's shape). Snapshots of the state are stored under
   * (name, version): bump it whenever `evolve`, the state's shape or an upcaster of the aggregate's events changes,
   * so that no state folded by the previous code is ever reused (docs/adr/0016). The state must be plain JSON.
   */
  version: number;
  initialState(): State;
  evolve(state: State, event: Event): State;
}

/** A read-only fact the decision needs from another context, resolved by the application layer (see facts.ts). */
export interface Lookup {
  fact: FactKind;
  id: string;
}

/**
 * The latest event of the command's own stream whose `data[field]` is `value`, passed to `decide` as `ctx[as]`
 * (`{ type, data }`, or null when the stream has none). `field` must be one the event store indexes
 * (`KEYED_FIELDS` of `@erbm/event-store`: `deliveryId`).
 */
export interface KeyedLookup<As extends string = string> {
  field: 'deliveryId';
  value: string;
  as: As;
}

/** The stream's latest of `events` whose `data[keyed.field]` is `keyed.value`, as `decide` receives it (null: none). */
export function keyedEventIn(events: readonly DomainEvent[], keyed: Pick<KeyedLookup, 'field' | 'value'>): DomainEvent | null {
  for (let i = events.length - 1; i >= 0; i--) {
    if ((events[i].data as Record<string, unknown>)[keyed.field] === keyed.value) return { type: events[i].type, data: events[i].data };
  }
  return null;
}

/** Erases a use case's types for registries. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyUseCase = UseCase<any, any, any, any>;
