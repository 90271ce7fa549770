import { type EventStore } from '@erbm/event-store';
import { grantAggregate, grantStream } from '@erbm/funding';
import { operationAggregate, operationFacts, operationStream } from '@erbm/operations';
import { apiClientAggregate, apiClientFacts, apiClientStream } from '@erbm/identity';
import { programmeFactSources } from '@erbm/programme';
import { type Aggregate, type DomainEvent, type FactKind, type FactsByKind, type GrantFacts } from '@erbm/shared';

interface Source {
  aggregate: Aggregate<unknown, DomainEvent>;
  streamId(id: string): string;
  facts(state: unknown): unknown;
}

/** Where each fact kind comes from: the stream to fold and how to turn its state into facts. */
const SOURCES: Record<FactKind, Source> = {
  ...(programmeFactSources as unknown as Record<'epci' | 'financer' | 'bailleur' | 'cite' | 'programme', Source>),
  operation: { aggregate: operationAggregate as Aggregate<unknown, DomainEvent>, streamId: operationStream, facts: operationFacts as (s: unknown) => unknown },
  apiClient: { aggregate: apiClientAggregate as Aggregate<unknown, DomainEvent>, streamId: apiClientStream, facts: apiClientFacts as (s: unknown) => unknown },
  grant: {
    aggregate: grantAggregate as Aggregate<unknown, DomainEvent>,
    streamId: grantStream,
    facts: (s: unknown): GrantFacts | null => {
      const g = s as ReturnType<typeof grantAggregate.initialState>;
      return g.status === 'none' || !g.grantId || !g.financerCode || !g.operationId ? null : { grantId: g.grantId, financerCode: g.financerCode, operationId: g.operationId };
    },
  },
};

/** Resolves facts from other aggregates by folding their streams (strongly consistent with the write side). */
export class FactResolver {
  constructor(private readonly store: EventStore) {}

  async resolve<K extends FactKind>(kind: K, id: string): Promise<FactsByKind[K] | null> {
    const source = SOURCES[kind];
    const { events } = await this.store.readStream(source.streamId(id));
    const state = events.reduce((s, e) => source.aggregate.evolve(s, { type: e.type, data: e.data }), source.aggregate.initialState());
    return source.facts(state) as FactsByKind[K] | null;
  }
}
