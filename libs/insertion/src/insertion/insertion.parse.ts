import { type Check } from '@erbm/shared';
import { type ByPublic, PUBLICS } from './insertion.events';

/** Largest number of persons per public in one declaration (a sanity bound; keeps totals exact). */
export const MAX_PERSONS_PER_PUBLIC = 100_000;

/** Largest number of insertion hours in one declaration. */
export const MAX_HOURS = 1_000_000;

/**
 * Parses `{deld, rsa, jeunes, rqth, autres}` at `field`: every public present, a non-negative integer number of
 * persons, no other key. Violations are collected on `c` (named `field.public`), thrown by its `done()`.
 */
export function checkByPublic(c: Check, field: string): ByPublic {
  const o = c.object(field).only(...PUBLICS);
  return {
    deld: o.integer('deld', 0, MAX_PERSONS_PER_PUBLIC),
    rsa: o.integer('rsa', 0, MAX_PERSONS_PER_PUBLIC),
    jeunes: o.integer('jeunes', 0, MAX_PERSONS_PER_PUBLIC),
    rqth: o.integer('rqth', 0, MAX_PERSONS_PER_PUBLIC),
    autres: o.integer('autres', 0, MAX_PERSONS_PER_PUBLIC),
  };
}
