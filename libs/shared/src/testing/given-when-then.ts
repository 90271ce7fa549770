import { type DomainEvent } from '../decider';
import { type UseCase } from '../command';

/**
 * Given/when/then for deciders: `given(useCase, pastEvents, ctx).when(rawCommandData).then(expectedEvents)`
 * or `.thenThrows(code)`. The command goes through `parse` first, like every real command.
 */
export function given<Cmd, State, Event extends DomainEvent, Ctx>(
  useCase: UseCase<Cmd, State, Event, Ctx>,
  past: DomainEvent[] = [],
  ctx: Ctx = {} as Ctx,
) {
  const state = past.reduce((s, e) => useCase.aggregate.evolve(s, e as Event), useCase.aggregate.initialState());
  return {
    when(data: unknown) {
      const run = () => useCase.decide(useCase.parse(data), state, ctx);
      return {
        then(expected: DomainEvent[]) {
          expect(run()).toEqual(expected);
        },
        thenThrows(code: string) {
          let caught: unknown;
          try {
            run();
          } catch (e) {
            caught = e;
          }
          expect(caught).toMatchObject({ code });
        },
      };
    },
  };
}
