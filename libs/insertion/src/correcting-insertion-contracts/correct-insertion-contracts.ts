import { Check, type UseCase } from '@erbm/shared';
import { type InsertionDeclarationState, insertionDeclarationAggregate, insertionStream } from '../insertion/insertion.aggregate';
import { type InsertionDeclarationCorrectedV2, type InsertionEvent } from '../insertion/insertion.events';
import { MAX_HOURS } from '../insertion/insertion.parse';
import { type InsertionContract, type Participant, checkPersons } from '../insertion/insertion.persons';
import { InsertionRules } from '../insertion/insertion.rules';

/**
 * `insertion.CorrectInsertionContracts`: replaces a declaration's hours, persons and contracts (shapes as in
 * `insertion.DeclareInsertionContracts`) with a `reason` (at most 1000 characters). A v1 declaration (counts per
 * public) corrected this way gains persons and contracts. Errors: COMMAND.INVALID (naming each field),
 * INSERTION.NOT_FOUND, INSERTION.HOURS_WITHOUT_PARTICIPANTS, INSERTION.CONTRACT_STARTS_AFTER_PERIOD,
 * INSERTION.CORRECTION_UNCHANGED.
 */
export interface CorrectInsertionContracts {
  declarationId: string;
  hours: number;
  participants: Participant[];
  contracts: InsertionContract[];
  reason: string;
}

/** The `insertion.CorrectInsertionContracts` use case; owner: the declaration's `ownerOrganisation`. */
export const correctInsertionContracts: UseCase<CorrectInsertionContracts, InsertionDeclarationState, InsertionEvent> = {
  type: 'insertion.CorrectInsertionContracts',
  aggregate: insertionDeclarationAggregate,
  parse(data) {
    const c = new Check(data as Record<string, unknown>).only('declarationId', 'hours', 'participants', 'contracts', 'reason');
    const head = { declarationId: c.id('declarationId'), hours: c.integer('hours', 0, MAX_HOURS) };
    const persons = checkPersons(c);
    const cmd: CorrectInsertionContracts = { ...head, ...persons, reason: c.string('reason', 1000) };
    c.done();
    return cmd;
  },
  streamId: (cmd) => insertionStream(cmd.declarationId),
  owner: (_cmd, state) => state.ownerOrganisation,
  decide(cmd, state): InsertionDeclarationCorrectedV2[] {
    InsertionRules.mustExist(state);
    InsertionRules.hoursNeedPersons(cmd.hours, cmd.participants);
    InsertionRules.contractsStartByPeriodEnd(cmd.contracts, state.periodEnd ?? '');
    InsertionRules.personsCorrectionChanges(state, cmd);
    const previous =
      state.persons === null
        ? { hours: state.hours, participants: state.participants, recruitments: state.recruitments }
        : { hours: state.hours, participants: state.persons, contracts: state.contracts ?? [] };
    return [
      {
        type: 'insertion.InsertionDeclarationCorrected.v2',
        data: { declarationId: cmd.declarationId, hours: cmd.hours, participants: cmd.participants, contracts: cmd.contracts, previous, reason: cmd.reason },
      },
    ];
  },
};
