import { BAILLEUR_EVENT_TYPES, type BailleurEvent } from './bailleur/bailleur.events';
import { CITE_EVENT_TYPES, type CiteEvent } from './cite/cite.events';
import { EPCI_EVENT_TYPES, type EpciEvent } from './epci/epci.events';
import { FINANCER_EVENT_TYPES, type FinancerEvent } from './financer/financer.events';
import { PROGRAMME_AGGREGATE_EVENT_TYPES, type ProgrammeEvent } from './programme/programme.events';

/** Every event of the programme context, all streams together (programme, EPCI, financer, bailleur, cité). */
export type ProgrammeContextEvent = ProgrammeEvent | EpciEvent | FinancerEvent | BailleurEvent | CiteEvent;

/** Every event type string of the programme context (explicit, versioned: `programme.<PastTense>.v<n>`). */
export const PROGRAMME_EVENT_TYPES = [
  ...PROGRAMME_AGGREGATE_EVENT_TYPES,
  ...EPCI_EVENT_TYPES,
  ...FINANCER_EVENT_TYPES,
  ...BAILLEUR_EVENT_TYPES,
  ...CITE_EVENT_TYPES,
] as const satisfies readonly ProgrammeContextEvent['type'][];

// Compile-time guard: PROGRAMME_EVENT_TYPES names every event of the context.
const _allEventTypes: [Exclude<ProgrammeContextEvent['type'], (typeof PROGRAMME_EVENT_TYPES)[number]>] extends [never] ? true : never = true;
