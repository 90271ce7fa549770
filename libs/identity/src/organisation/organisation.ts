/**
 * Organisations of the programme, identified by a string: `delegation` (the délégation interministérielle),
 * `copil` (the comité de pilotage), `bailleur:<CODE>`, `epci:<CODE>`, `financer:<CODE>` (State services, Région,
 * Départements and other financers). The kind, hence the role, derives from the prefix.
 */
export const ORGANISATION_KINDS = ['delegation', 'copil', 'bailleur', 'epci', 'financer'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

export const ORGANISATION_PATTERN = /^(delegation|copil|(bailleur|epci|financer):[A-Z][A-Z0-9_]{1,39})$/;

export interface Organisation {
  id: string;
  kind: OrganisationKind;
  /** Reference code of a bailleur, EPCI or financer; null for the délégation and the comité de pilotage. */
  code: string | null;
}

/** The organisation named by `id`, or null when `id` is not a well-formed organisation id. */
export function parseOrganisation(id: unknown): Organisation | null {
  if (typeof id !== 'string' || !ORGANISATION_PATTERN.test(id)) return null;
  const [kind, code] = id.split(':') as [OrganisationKind, string | undefined];
  return { id, kind, code: code ?? null };
}
