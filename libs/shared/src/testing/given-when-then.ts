import { type DomainEvent } from '../decider';
import { type UseCase, keyedEventIn } from '../command';

/**
 * Given/when/then for deciders: `given(useCase, pastEvents, ctx).when(rawCommandData).then(expectedEvents)`
 * or `.thenThrows(code)`. The command goes through `parse` first, like every real command. A use case with `keyed`
 * gets the latest past event carrying the key as `ctx[as]`, as the executor reads it from the stream (unless `ctx`
 * gives it).
 */
export function given<Cmd, State, Event extends DomainEvent, Ctx>(
  useCase: UseCase<Cmd, State, Event, Ctx>,
  past: DomainEvent[] = [],
  ctx: Ctx = {} as Ctx,
) {
  const state = past.reduce((s, e) => useCase.aggregate.evolve(s, e as Event), useCase.aggregate.initialState());
  return {
    when(data: unknown) {
      const run = () => {
        const cmd = useCase.parse(data);
        const keyed = useCase.keyed?.(cmd);
        const full = keyed && !(keyed.as in (ctx as object)) ? ({ ...ctx, [keyed.as]: keyedEventIn(past, keyed) } as Ctx) : ctx;
        return useCase.decide(cmd, state, full);
      };
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
