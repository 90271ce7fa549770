import { Check, type Lookup, type UseCase } from '@erbm/shared';
import { type InsertionDeclarationState, insertionDeclarationAggregate, insertionStream } from '../insertion/insertion.aggregate';
import { type InsertionEvent, type InsertionHoursDeclaredV2 } from '../insertion/insertion.events';
import { MAX_HOURS } from '../insertion/insertion.parse';
import { type InsertionContract, type Participant, checkPersons } from '../insertion/insertion.persons';
import { InsertionRules } from '../insertion/insertion.rules';
import { type DeclareInsertionHoursContext } from '../declaring-insertion-hours/declare-insertion-hours';

/**
 * `insertion.DeclareInsertionContracts`: declares the insertion hours worked on one works contract (marché) over a
 * period with the persons and contracts behind them (ADR 0024; REFERENCE.md §8): same fields as
 * `insertion.DeclareInsertionHours` except that the counts per public are replaced by
 * - `participants`: `[{ participantId, publics, recruited }]`, pseudonymous ids (`PSEUDONYMOUS_ID`: 32–64 lowercase
 *   hex characters, no personal data), non-exclusive publics (`PERSON_PUBLICS`), hired at the end or not;
 * - `contracts`: `[{ contractId, participantId, kind, startDate }]` (`CONTRACT_KINDS`, ISO date), each held by a
 *   listed participant; every participant holds at least one.
 * Errors: COMMAND.INVALID (naming each field, e.g. `participants[0].participantId`), INSERTION.ALREADY_DECLARED,
 * EPCI.NOT_FOUND, OPERATION.NOT_FOUND, INSERTION.EPCI_MISMATCH, INSERTION.PERIOD_INVERTED, INSERTION.PERIOD_TOO_LONG,
 * INSERTION.HOURS_WITHOUT_PARTICIPANTS, INSERTION.CONTRACT_STARTS_AFTER_PERIOD.
 */
export interface DeclareInsertionContracts {
  declarationId: string;
  operationId: string | null;
  epciCode: string;
  marcheRef: string;
  periodStart: string;
  periodEnd: string;
  hours: number;
  participants: Participant[];
  contracts: InsertionContract[];
}

/** The `insertion.DeclareInsertionContracts` use case; owner and lookups as `insertion.DeclareInsertionHours`. */
export const declareInsertionContracts: UseCase<DeclareInsertionContracts, InsertionDeclarationState, InsertionEvent, DeclareInsertionHoursContext> = {
  type: 'insertion.DeclareInsertionContracts',
  aggregate: insertionDeclarationAggregate,
  parse(data) {
    const c = new Check(data as Record<string, unknown>).only(
      'declarationId', 'operationId', 'epciCode', 'marcheRef', 'periodStart', 'periodEnd', 'hours', 'participants', 'contracts',
    );
    const head = {
      declarationId: c.id('declarationId'),
      operationId: (data as Record<string, unknown> | null)?.['operationId'] === null ? null : c.id('operationId'),
      epciCode: c.code('epciCode'),
      marcheRef: c.string('marcheRef', 120),
      periodStart: c.date('periodStart'),
      periodEnd: c.date('periodEnd'),
      hours: c.integer('hours', 0, MAX_HOURS),
    };
    const cmd: DeclareInsertionContracts = { ...head, ...checkPersons(c) };
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
  decide(cmd, state, { epci, operation }): InsertionHoursDeclaredV2[] {
    InsertionRules.mustNotExist(state);
    InsertionRules.epciMustExist(epci, cmd.epciCode);
    const op = cmd.operationId === null ? null : InsertionRules.operationMustExist(operation, cmd.operationId);
    if (op) InsertionRules.sameEpciAsOperation(op, cmd.epciCode);
    InsertionRules.periodNotInverted(cmd.periodStart, cmd.periodEnd);
    InsertionRules.periodAtMostOneYear(cmd.periodStart, cmd.periodEnd);
    InsertionRules.hoursNeedPersons(cmd.hours, cmd.participants);
    InsertionRules.contractsStartByPeriodEnd(cmd.contracts, cmd.periodEnd);
    return [
      {
        type: 'insertion.InsertionHoursDeclared.v2',
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
          contracts: cmd.contracts,
        },
      },
    ];
  },
};
