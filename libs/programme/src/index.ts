import { type Aggregate, type AnyUseCase, type BailleurFacts, type CiteFacts, type DomainEvent, type EpciFacts, type FinancerFacts, type ProgrammeFacts } from '@erbm/shared';
import { type ProgrammeState, programmeAggregate, programmeFacts, programmeStream } from './programme/programme.aggregate';
import { type ProgrammeEvent } from './programme/programme.events';
import { type BailleurState, bailleurAggregate, bailleurFacts, bailleurStream } from './bailleur/bailleur.aggregate';
import { type BailleurEvent } from './bailleur/bailleur.events';
import { type CiteState, citeAggregate, citeFacts, citeStream } from './cite/cite.aggregate';
import { type CiteEvent } from './cite/cite.events';
import { correctCite } from './correcting-cite/correct-cite';
import { type EpciState, epciAggregate, epciFacts, epciStream } from './epci/epci.aggregate';
import { type EpciEvent } from './epci/epci.events';
import { type FinancerState, financerAggregate, financerFacts, financerStream } from './financer/financer.aggregate';
import { type FinancerEvent } from './financer/financer.events';
import { launchProgramme } from './launching-programme/launch-programme';
import { publishAxisSet } from './publishing-axis-set/publish-axis-set';
import { registerBailleur } from './registering-bailleur/register-bailleur';
import { registerCite } from './registering-cite/register-cite';
import { registerEpci } from './registering-epci/register-epci';
import { registerFinancer } from './registering-financer/register-financer';
import { setTarget } from './setting-target/set-target';

export * from './programme/programme.events';
export * from './programme/programme.aggregate';
export * from './programme/programme.rules';
export * from './epci/epci.events';
export * from './epci/epci.aggregate';
export * from './financer/financer.events';
export * from './financer/financer.aggregate';
export * from './financer/financer.rules';
export * from './bailleur/bailleur.events';
export * from './bailleur/bailleur.aggregate';
export * from './cite/cite.events';
export * from './cite/cite.aggregate';
export * from './cite/cite.command';
export * from './cite/cite.rules';
export * from './programme-context.events';
export * from './launching-programme/launch-programme';
export * from './setting-target/set-target';
export * from './publishing-axis-set/publish-axis-set';
export * from './registering-epci/register-epci';
export * from './registering-financer/register-financer';
export * from './registering-bailleur/register-bailleur';
export * from './registering-cite/register-cite';
export * from './correcting-cite/correct-cite';

/** Every command of the programme context (reference data; issued by the délégation only: every `owner` is null). */
export const programmeUseCases: AnyUseCase[] = [
  launchProgramme,
  setTarget,
  publishAxisSet,
  registerEpci,
  registerFinancer,
  registerBailleur,
  registerCite,
  correctCite,
];

/**
 * How the application layer resolves a `Lookup` of a fact this context publishes: read stream `streamId(id)`,
 * fold it with `aggregate`, then `facts(state)` (null when the thing is not registered).
 */
export interface FactSource<State, Event extends DomainEvent, Facts> {
  aggregate: Aggregate<State, Event>;
  streamId(id: string): string;
  facts(state: State): Facts | null;
}

/** The fact kinds `epci`, `financer`, `bailleur` and `cite` (shared facts.ts), as published by this context. */
export const programmeFactSources = {
  epci: { aggregate: epciAggregate, streamId: epciStream, facts: epciFacts },
  financer: { aggregate: financerAggregate, streamId: financerStream, facts: financerFacts },
  bailleur: { aggregate: bailleurAggregate, streamId: bailleurStream, facts: bailleurFacts },
  cite: { aggregate: citeAggregate, streamId: citeStream, facts: citeFacts },
  programme: { aggregate: programmeAggregate, streamId: programmeStream, facts: programmeFacts },
} satisfies {
  epci: FactSource<EpciState, EpciEvent, EpciFacts>;
  financer: FactSource<FinancerState, FinancerEvent, FinancerFacts>;
  bailleur: FactSource<BailleurState, BailleurEvent, BailleurFacts>;
  cite: FactSource<CiteState, CiteEvent, CiteFacts>;
  programme: FactSource<ProgrammeState, ProgrammeEvent, ProgrammeFacts>;
};
