import { grantAggregate } from '@erbm/funding';
import { insertionDeclarationAggregate } from '@erbm/insertion';
import { operationAggregate } from '@erbm/operations';
import { bailleurAggregate, citeAggregate, epciAggregate, financerAggregate, programmeAggregate } from '@erbm/programme';
import { type Aggregate, type DomainEvent } from '@erbm/shared';
// The benchmark's history generator (bench/ is scripts, not an Nx project: no alias to import it by).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { generateHistory } from '../../bench/generate';

/** The aggregate of each stream of the generated history, by the stream id's prefix. */
const AGGREGATES: Record<string, Aggregate<unknown, DomainEvent>> = Object.fromEntries(
  Object.entries({
    operation: operationAggregate,
    grant: grantAggregate,
    insertion: insertionDeclarationAggregate,
    programme: programmeAggregate,
    epci: epciAggregate,
    bailleur: bailleurAggregate,
    financer: financerAggregate,
    cite: citeAggregate,
  }).map(([prefix, aggregate]) => [prefix, aggregate as unknown as Aggregate<unknown, DomainEvent>]),
);

/**
 * A snapshot is the JSON of a state: folding the rest of a stream onto a snapshot taken at any version must give
 * the state folded from the first event, or a decision (pure in command, state and facts) could differ.
 * Checked on every stream of a generated history (the real use cases: bench/domain.ts), at versions spread over each.
 */
describe('snapshots of aggregate states', () => {
  const streams = new Map<string, DomainEvent[]>();
  for (const e of generateHistory(6_000, 31)) streams.set(e.streamId, [...(streams.get(e.streamId) ?? []), { type: e.type, data: e.data }]);

  it('covers every aggregate of the generated history', () => {
    expect(new Set([...streams.keys()].map((id) => id.split('-')[0]))).toEqual(new Set(Object.keys(AGGREGATES)));
  });

  it('gives, from a snapshot at any version plus the events after it, the state folded from the first event', () => {
    let checked = 0;
    for (const [streamId, events] of streams) {
      const aggregate = AGGREGATES[streamId.split('-')[0]];
      const states = [aggregate.initialState()];
      for (const e of events) states.push(aggregate.evolve(states[states.length - 1], e));
      const full = states[states.length - 1];
      // Every version of short streams, eight spread over the long ones (the fold after each cut is linear).
      const step = Math.max(1, Math.floor(events.length / 8));
      for (let version = 1; version < events.length; version += step) {
        const snapshot = JSON.parse(JSON.stringify(states[version])) as unknown;
        expect(events.slice(version).reduce((s, e) => aggregate.evolve(s, e), snapshot)).toEqual(full);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(500);
  });
});
