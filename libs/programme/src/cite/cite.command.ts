import { type BailleurFacts, type Check, type EpciFacts, type Lookup } from '@erbm/shared';
import { type CiteDescription } from './cite.events';

/**
 * Facts a cité registration or correction needs: its EPCI (always looked up) and its bailleur, looked up only when
 * `bailleurCode` is not null (the key is then absent from `lookups`, and `bailleur` is undefined).
 */
export interface CiteContext {
  epci: EpciFacts | null;
  bailleur?: BailleurFacts | null;
}

/** Field names of a cité description, in event order. */
export const CITE_FIELDS = ['citeId', 'name', 'communes', 'epciCode', 'bailleurCode', 'logements', 'unesco', 'priority'] as const;

/**
 * Reads a cité description from a command's `Check` (shared by RegisterCite and CorrectCite): `citeId` kebab-case,
 * `name` ≤ 256 chars, `communes` 1–100 non-empty names ≤ 120 chars, `epciCode` and `bailleurCode` (or null) upper
 * snake case, `logements` integer ≥ 1 or null, `unesco` and `priority` booleans. Violations accumulate on `c`.
 */
export function readCiteDescription(c: Check): CiteDescription {
  const communes = c.stringArray('communes', 1, 120);
  if (communes.length > 100) c.violations.push({ field: 'communes', rule: 'arrayMaxSize', message: 'must have at most 100 items' });
  return {
    citeId: c.id('citeId'),
    name: c.string('name', 256),
    communes,
    epciCode: c.code('epciCode'),
    bailleurCode: c.optionalCode('bailleurCode'),
    logements: c.optionalInteger('logements', 1),
    unesco: c.boolean('unesco'),
    priority: c.boolean('priority'),
  };
}

/** Lookups of a cité command: `epci` always, `bailleur` only when `bailleurCode` is not null. */
export function citeLookups(cmd: CiteDescription): Record<keyof CiteContext, Lookup> {
  const lookups: Partial<Record<keyof CiteContext, Lookup>> = { epci: { fact: 'epci', id: cmd.epciCode } };
  if (cmd.bailleurCode !== null) lookups.bailleur = { fact: 'bailleur', id: cmd.bailleurCode };
  return lookups as Record<keyof CiteContext, Lookup>;
}

/** A copy of a cité description with its fields in event order (stable serialized JSON). */
export function citeDescription(cmd: CiteDescription): CiteDescription {
  return {
    citeId: cmd.citeId,
    name: cmd.name,
    communes: [...cmd.communes],
    epciCode: cmd.epciCode,
    bailleurCode: cmd.bailleurCode,
    logements: cmd.logements,
    unesco: cmd.unesco,
    priority: cmd.priority,
  };
}
