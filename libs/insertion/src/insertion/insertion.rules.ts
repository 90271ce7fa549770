import { type EpciFacts, type OperationFacts, conflict, notFound, ruleViolated } from '@erbm/shared';
import { type InsertionDeclarationState } from './insertion.aggregate';
import { type InsertionFigures, PUBLICS } from './insertion.events';

/** Longest declaration period, in days counted inclusively (a full leap year). */
export const MAX_PERIOD_DAYS = 366;

const DAY_MS = 86_400_000;
const utcDay = (isoDate: string): number => Date.UTC(Number(isoDate.slice(0, 4)), Number(isoDate.slice(5, 7)) - 1, Number(isoDate.slice(8, 10)));

/** Number of days from `start` to `end`, both included (`2022-01-01`..`2022-01-01` is 1 day). */
export const periodDays = (start: string, end: string): number => Math.round((utcDay(end) - utcDay(start)) / DAY_MS) + 1;

/**
 * Named business rules of insertion declarations, asserted by code in tests (REFERENCE.md §8):
 * INSERTION.ALREADY_DECLARED (409), INSERTION.NOT_FOUND, EPCI.NOT_FOUND, OPERATION.NOT_FOUND (404),
 * INSERTION.EPCI_MISMATCH, INSERTION.PERIOD_INVERTED, INSERTION.PERIOD_TOO_LONG,
 * INSERTION.RECRUITMENTS_EXCEED_PARTICIPANTS, INSERTION.HOURS_WITHOUT_PARTICIPANTS, INSERTION.CORRECTION_UNCHANGED (422).
 */
export const InsertionRules = {
  mustNotExist(state: InsertionDeclarationState): void {
    if (state.status !== 'none') throw conflict('INSERTION.ALREADY_DECLARED', `Insertion declaration ${state.declarationId} already exists`);
  },
  mustExist(state: InsertionDeclarationState): void {
    if (state.status === 'none') throw notFound('INSERTION.NOT_FOUND', 'No insertion declaration with this id', 'declarationId');
  },
  /** @returns the EPCI's facts, once known to exist. */
  epciMustExist(epci: EpciFacts | null | undefined, epciCode: string): EpciFacts {
    if (!epci) throw notFound('EPCI.NOT_FOUND', `Unknown EPCI ${epciCode}`, 'epciCode');
    return epci;
  },
  /** @returns the operation's facts, once known to exist. */
  operationMustExist(operation: OperationFacts | null | undefined, operationId: string): OperationFacts {
    if (!operation) throw notFound('OPERATION.NOT_FOUND', `Unknown operation ${operationId}`, 'operationId');
    return operation;
  },
  /** The works contract's EPCI is the operation's EPCI. */
  sameEpciAsOperation(operation: OperationFacts, epciCode: string): void {
    if (operation.epciCode !== epciCode) {
      throw ruleViolated('INSERTION.EPCI_MISMATCH', `Operation ${operation.operationId} is in EPCI ${operation.epciCode}, not ${epciCode}`, 'epciCode');
    }
  },
  periodNotInverted(periodStart: string, periodEnd: string): void {
    if (periodEnd < periodStart) throw ruleViolated('INSERTION.PERIOD_INVERTED', `periodEnd ${periodEnd} is before periodStart ${periodStart}`, 'periodEnd');
  },
  /** A declaration covers at most 366 days, both ends included. */
  periodAtMostOneYear(periodStart: string, periodEnd: string): void {
    const days = periodDays(periodStart, periodEnd);
    if (days > MAX_PERIOD_DAYS) {
      throw ruleViolated('INSERTION.PERIOD_TOO_LONG', `The period covers ${days} days, more than ${MAX_PERIOD_DAYS}`, 'periodEnd');
    }
  },
  /** Only persons who took part can be recruited: per public, recruitments ≤ participants. */
  recruitmentsWithinParticipants(figures: InsertionFigures): void {
    for (const p of PUBLICS) {
      if (figures.recruitments[p] > figures.participants[p]) {
        throw ruleViolated(
          'INSERTION.RECRUITMENTS_EXCEED_PARTICIPANTS',
          `${figures.recruitments[p]} ${p} recruited but only ${figures.participants[p]} ${p} participants`,
          `recruitments.${p}`,
        );
      }
    }
  },
  /** Hours are worked by someone: hours > 0 needs at least one participant. */
  hoursNeedParticipants(figures: InsertionFigures): void {
    if (figures.hours > 0 && PUBLICS.every((p) => figures.participants[p] === 0)) {
      throw ruleViolated('INSERTION.HOURS_WITHOUT_PARTICIPANTS', `${figures.hours} hours declared without any participant`, 'participants');
    }
  },
  /** A correction must change the hours or at least one count. */
  correctionChanges(state: InsertionDeclarationState, figures: InsertionFigures): void {
    const same =
      state.hours === figures.hours &&
      PUBLICS.every((p) => state.participants[p] === figures.participants[p] && state.recruitments[p] === figures.recruitments[p]);
    if (same) throw ruleViolated('INSERTION.CORRECTION_UNCHANGED', 'The correction does not change any figure', 'declarationId');
  },
};
