/**
 * A domain event as the domain sees it: a past-tense fact with an explicit, versioned type string
 * (`operation.LogementsDelivered.v1`) and plain JSON data. Never derived from a class name.
 */
export interface DomainEvent<Type extends string = string, Data extends object = object> {
  type: Type;
  data: Data;
}

/**
 * A pure decider (Jérémie Chassaing's pattern, as in Emmett):
 * `decide(command, state) → events`, `evolve(state, event) → state`, from `initialState()`.
 * `decide` throws a DomainError when the command is refused; it never performs I/O or reads the clock.
 */
export interface Decider<Command, Event extends DomainEvent, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

/** Folds events into state with a decider's `evolve`. */
export const fold = <E extends DomainEvent, S>(d: Pick<Decider<unknown, E, S>, 'evolve' | 'initialState'>, events: readonly E[]): S =>
  events.reduce(d.evolve, d.initialState());
