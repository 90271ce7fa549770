import { type EventStore } from '@erbm/event-store';
import { AggregateStates } from './aggregate-states';
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

/**
 * Resolves facts from other aggregates by folding their streams (strongly consistent with the write side): the
 * state kept or snapshotted plus the events after it (`AggregateStates`), one round trip per fact.
 */
export class FactResolver {
  private readonly states: AggregateStates;

  constructor(store: EventStore, states?: AggregateStates) {
    this.states = states ?? new AggregateStates(store);
  }

  async resolve<K extends FactKind>(kind: K, id: string): Promise<FactsByKind[K] | null> {
    const source = SOURCES[kind];
    const { state } = await this.states.load(source.streamId(id), source.aggregate);
    return source.facts(state) as FactsByKind[K] | null;
  }
}
