import { type DomainEvent, type OperationKind } from '@erbm/shared';

/**
 * Priority publics of the clauses sociales (REFERENCE.md §8), in reporting order:
 * - `deld`: demandeurs d'emploi de longue durée;
 * - `rsa`: bénéficiaires du RSA;
 * - `jeunes`: jeunes de moins de 26 ans;
 * - `rqth`: travailleurs handicapés (RQTH);
 * - `autres`: other eligible publics (ASS/AAH beneficiaries, people in SIAE, EPIDE, E2C…).
 * Each person is counted once, under their main public, so the five counts add up to the number of persons.
 */
export const PUBLICS = ['deld', 'rsa', 'jeunes', 'rqth', 'autres'] as const;
/** One of the five priority publics (see `PUBLICS`). */
export type Public = (typeof PUBLICS)[number];

/** A number of persons per public (non-negative integers, each person counted once under their main public). */
export type ByPublic = Record<Public, number>;

/**
 * Total number of persons across the five publics (no double counting, since each person has one main public).
 * Example: the published ERBM logements figures (`002`, REFERENCE.md §7) are 276 persons recruited, of whom 72 RSA.
 */
export const totalOf = (byPublic: ByPublic): number => PUBLICS.reduce((sum, p) => sum + byPublic[p], 0);

/**
 * `insertion.InsertionHoursDeclared.v1`: insertion hours worked on one works contract (marché) over a period, with the
 * persons who worked them (`participants`) and those hired at the end (`recruitments`), per public.
 * - `hours`: integer hours of insertion work (REFERENCE.md §8; published ERBM logements total 233 557 h, `002`);
 * - `periodStart`, `periodEnd`: ISO dates `YYYY-MM-DD`, both included, at most 366 days apart;
 * - `operationId`: null for ERBM works contracts outside a tracked operation; `operationKind` and `bailleurCode` are
 *   copied from the operation as known at declaration time (both null without an operation);
 * - `ownerOrganisation`: the organisation owning later writes: the operation's owner (`bailleur:<CODE>` or
 *   `epci:<CODE>`), or `epci:<epciCode>` without an operation.
 * Comparison point: ANRU's national rule asks for at least 5 % of the hours worked on funded works.
 */
export type InsertionHoursDeclared = DomainEvent<
  'insertion.InsertionHoursDeclared.v1',
  {
    declarationId: string;
    operationId: string | null;
    operationKind: OperationKind | null;
    bailleurCode: string | null;
    ownerOrganisation: string;
    epciCode: string;
    marcheRef: string;
    periodStart: string;
    periodEnd: string;
    hours: number;
    participants: ByPublic;
    recruitments: ByPublic;
  }
>;

/** The figures of a declaration that a correction can change: integer hours and persons per public. */
export interface InsertionFigures {
  hours: number;
  participants: ByPublic;
  recruitments: ByPublic;
}

/**
 * `insertion.InsertionDeclarationCorrected.v1`: compensating event replacing a declaration's figures (hours,
 * participants, recruitments) with corrected ones; `previous` keeps the figures it replaces, so reports can reverse
 * them. Period, contract and operation never change (declare again under another id instead).
 */
export type InsertionDeclarationCorrected = DomainEvent<
  'insertion.InsertionDeclarationCorrected.v1',
  {
    declarationId: string;
    hours: number;
    participants: ByPublic;
    recruitments: ByPublic;
    previous: InsertionFigures;
    reason: string;
  }
>;

/** Every event of the insertion context. */
export type InsertionEvent = InsertionHoursDeclared | InsertionDeclarationCorrected;

/** The versioned type strings of every insertion event. */
export const INSERTION_EVENT_TYPES = [
  'insertion.InsertionHoursDeclared.v1',
  'insertion.InsertionDeclarationCorrected.v1',
] as const satisfies readonly InsertionEvent['type'][];
