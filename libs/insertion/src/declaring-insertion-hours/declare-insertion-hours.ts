import { Check, type EpciFacts, type Lookup, type OperationFacts, type UseCase } from '@erbm/shared';
import { type InsertionDeclarationState, insertionDeclarationAggregate, insertionStream } from '../insertion/insertion.aggregate';
import { type ByPublic, type InsertionEvent, type InsertionHoursDeclared } from '../insertion/insertion.events';
import { MAX_HOURS, checkByPublic } from '../insertion/insertion.parse';
import { InsertionRules } from '../insertion/insertion.rules';

/**
 * `insertion.DeclareInsertionHours`: declares the insertion hours worked on one works contract over a period
 * (REFERENCE.md §8), by the bailleur, the EPCI or the délégation.
 * - `operationId`: the tracked operation, or null for ERBM works contracts outside one;
 * - `marcheRef`: works contract reference, at most 120 characters;
 * - `periodStart`, `periodEnd`: ISO dates, both included, at most 366 days;
 * - `hours`: integer hours, 0..1 000 000;
 * - `participants`, `recruitments`: persons per public `{deld, rsa, jeunes, rqth, autres}`.
 * Errors: COMMAND.INVALID (naming each field), INSERTION.ALREADY_DECLARED, EPCI.NOT_FOUND, OPERATION.NOT_FOUND,
 * INSERTION.EPCI_MISMATCH, INSERTION.PERIOD_INVERTED, INSERTION.PERIOD_TOO_LONG,
 * INSERTION.RECRUITMENTS_EXCEED_PARTICIPANTS, INSERTION.HOURS_WITHOUT_PARTICIPANTS.
 */
export interface DeclareInsertionHours {
  declarationId: string;
  operationId: string | null;
  epciCode: string;
  marcheRef: string;
  periodStart: string;
  periodEnd: string;
  hours: number;
  participants: ByPublic;
  recruitments: ByPublic;
}

/** Facts the declaration needs: the EPCI, and the operation when `operationId` is not null (absent otherwise). */
export interface DeclareInsertionHoursContext {
  epci: EpciFacts | null;
  operation?: OperationFacts | null;
}

/** The `insertion.DeclareInsertionHours` use case; owner: the operation's `ownerOrganisation`, else `epci:<epciCode>`. */
export const declareInsertionHours: UseCase<DeclareInsertionHours, InsertionDeclarationState, InsertionEvent, DeclareInsertionHoursContext> = {
  type: 'insertion.DeclareInsertionHours',
  aggregate: insertionDeclarationAggregate,
  parse(data) {
    const c = new Check(data as Record<string, unknown>).only(
      'declarationId', 'operationId', 'epciCode', 'marcheRef', 'periodStart', 'periodEnd', 'hours', 'participants', 'recruitments',
    );
    const cmd: DeclareInsertionHours = {
      declarationId: c.id('declarationId'),
      operationId: (data as Record<string, unknown> | null)?.['operationId'] === null ? null : c.id('operationId'),
      epciCode: c.code('epciCode'),
      marcheRef: c.string('marcheRef', 120),
      periodStart: c.date('periodStart'),
      periodEnd: c.date('periodEnd'),
      hours: c.integer('hours', 0, MAX_HOURS),
      participants: checkByPublic(c, 'participants'),
      recruitments: checkByPublic(c, 'recruitments'),
    };
    c.done();
    return cmd;
  },
  streamId: (cmd) => insertionStream(cmd.declarationId),
  businessDates: (cmd) => ({ periodStart: cmd.periodStart, periodEnd: cmd.periodEnd }),
  // The operation is looked up only when there is one; `Record<keyof Ctx, …>` cannot express an optional key.
  lookups: (cmd) =>
    ({
      epci: { fact: 'epci', id: cmd.epciCode },
      ...(cmd.operationId === null ? {} : { operation: { fact: 'operation', id: cmd.operationId } }),
    }) as Record<keyof DeclareInsertionHoursContext, Lookup>,
  owner: (cmd, _state, { operation }) => (cmd.operationId === null ? `epci:${cmd.epciCode}` : (operation?.ownerOrganisation ?? null)),
  decide(cmd, state, { epci, operation }): InsertionHoursDeclared[] {
    InsertionRules.mustNotExist(state);
    InsertionRules.epciMustExist(epci, cmd.epciCode);
    const op = cmd.operationId === null ? null : InsertionRules.operationMustExist(operation, cmd.operationId);
    if (op) InsertionRules.sameEpciAsOperation(op, cmd.epciCode);
    InsertionRules.periodNotInverted(cmd.periodStart, cmd.periodEnd);
    InsertionRules.periodAtMostOneYear(cmd.periodStart, cmd.periodEnd);
    InsertionRules.recruitmentsWithinParticipants(cmd);
    InsertionRules.hoursNeedParticipants(cmd);
    return [
      {
        type: 'insertion.InsertionHoursDeclared.v1',
        data: {
          declarationId: cmd.declarationId,
          operationId: cmd.operationId,
          operationKind: op?.kind ?? null,
          bailleurCode: op?.bailleurCode ?? null,
          ownerOrganisation: op ? op.ownerOrganisation : `epci:${cmd.epciCode}`,
          epciCode: cmd.epciCode,
          marcheRef: cmd.marcheRef,
          periodStart: cmd.periodStart,
          periodEnd: cmd.periodEnd,
          hours: cmd.hours,
          participants: cmd.participants,
          recruitments: cmd.recruitments,
        },
      },
    ];
  },
};
