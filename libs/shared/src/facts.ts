/**
 * Published language between bounded contexts: the facts one context may ask about another's aggregates when
 * deciding. The application layer builds them by folding the other aggregate's stream; a missing aggregate is `null`.
 */
export interface FactsByKind {
  epci: EpciFacts;
  financer: FinancerFacts;
  bailleur: BailleurFacts;
  cite: CiteFacts;
  operation: OperationFacts;
  grant: GrantFacts;
  apiClient: ApiClientFacts;
  programme: ProgrammeFacts;
}

/**
 * The programme's reference dates (programme context): its signature (`ProgrammeLaunched.signedOn`), its last year,
 * and the target date in force (the latest `TargetSet.targetDate`, null before any target). ISO dates.
 */
export interface ProgrammeFacts {
  programmeId: string;
  signedOn: string;
  endYear: number;
  targetDate: string | null;
}

export type FactKind = keyof FactsByKind;

export interface EpciFacts {
  epciCode: string;
  name: string;
}

export type FinancerCategory = 'etat' | 'region' | 'departement' | 'epci' | 'agence' | 'union-europeenne' | 'bailleur' | 'autre';

export interface FinancerFacts {
  financerCode: string;
  name: string;
  category: FinancerCategory;
  epciCode: string | null;
}

export interface BailleurFacts {
  bailleurCode: string;
  name: string;
}

export interface CiteFacts {
  citeId: string;
  name: string;
  epciCode: string;
  bailleurCode: string | null;
}

export type OperationKind = 'logements' | 'urbaine';

export interface OperationFacts {
  operationId: string;
  kind: OperationKind;
  citeId: string;
  epciCode: string;
  /** Bailleur carrying a logements operation; null for urban operations. */
  bailleurCode: string | null;
  /** Organisation that owns the operation's writes: `bailleur:<CODE>` or `epci:<CODE>`. */
  ownerOrganisation: string;
  axisCode: string;
  /** ISO date the operation started its `travaux` phase, or null. */
  travauxStartedOn: string | null;
  programmedOn: string;
}

export interface GrantFacts {
  grantId: string;
  financerCode: string;
  operationId: string;
}

/** A machine client of the API (identity context). */
export interface ApiClientFacts {
  clientId: string;
  organisation: string;
  name: string;
}
