import { type DomainEvent, type OperationKind } from '@erbm/shared';
import { type InsertionContract, type Participant } from './insertion.persons';

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

/**
 * `insertion.InsertionHoursDeclared.v2`: a declaration that names its persons and contracts (ADR 0024). Same keys and
 * `hours` as v1, but instead of counts per exclusive public:
 * - `participants`: the distinct persons who worked the hours, by pseudonymous id (`PSEUDONYMOUS_ID`, no personal
 *   data), each with every priority public they belong to (non-exclusive, `PERSON_PUBLICS`) and whether they were
 *   hired at the end (`recruited`);
 * - `contracts`: the insertion contracts the declaration covers (pseudonymous `contractId`, `kind` among
 *   `CONTRACT_KINDS`, `startDate` ISO date), each held by one of the participants.
 * The v1 counts per main public are derived (`legacyFiguresOf`) so that v1 figures and roll-ups keep reading v2.
 */
export type InsertionHoursDeclaredV2 = DomainEvent<
  'insertion.InsertionHoursDeclared.v2',
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
    participants: Participant[];
    contracts: InsertionContract[];
  }
>;

/** The figures of a v2 declaration a correction can change: integer hours, persons and contracts. */
export interface InsertionFiguresV2 {
  hours: number;
  participants: Participant[];
  contracts: InsertionContract[];
}

/**
 * `insertion.InsertionDeclarationCorrected.v2`: replaces a declaration's hours, persons and contracts (a v1
 * declaration corrected this way gains persons and contracts). `previous` keeps what it replaces: the v2 figures, or,
 * for a declaration that had only v1 counts, `{ hours, participants: ByPublic, recruitments: ByPublic }`.
 */
export type InsertionDeclarationCorrectedV2 = DomainEvent<
  'insertion.InsertionDeclarationCorrected.v2',
  {
    declarationId: string;
    hours: number;
    participants: Participant[];
    contracts: InsertionContract[];
    previous: InsertionFiguresV2 | InsertionFigures;
    reason: string;
  }
>;

/** Every event of the insertion context. */
export type InsertionEvent = InsertionHoursDeclared | InsertionDeclarationCorrected | InsertionHoursDeclaredV2 | InsertionDeclarationCorrectedV2;

/** The versioned type strings of every insertion event. */
export const INSERTION_EVENT_TYPES = [
  'insertion.InsertionHoursDeclared.v1',
  'insertion.InsertionDeclarationCorrected.v1',
  'insertion.InsertionHoursDeclared.v2',
  'insertion.InsertionDeclarationCorrected.v2',
] as const satisfies readonly InsertionEvent['type'][];
