import { Check, type UseCase } from '@erbm/shared';
import { type InsertionDeclarationState, insertionDeclarationAggregate, insertionStream } from '../insertion/insertion.aggregate';
import { type ByPublic, type InsertionDeclarationCorrected, type InsertionEvent } from '../insertion/insertion.events';
import { MAX_HOURS, checkByPublic } from '../insertion/insertion.parse';
import { InsertionRules } from '../insertion/insertion.rules';

/**
 * `insertion.CorrectInsertionDeclaration`: replaces a declaration's figures (integer `hours`, persons per public in
 * `participants` and `recruitments`) by corrected ones, with a `reason` (at most 1000 characters). Issued by the
 * declaration's owner or the délégation. Errors: COMMAND.INVALID (naming each field), INSERTION.NOT_FOUND,
 * INSERTION.RECRUITMENTS_EXCEED_PARTICIPANTS, INSERTION.HOURS_WITHOUT_PARTICIPANTS, INSERTION.CORRECTION_UNCHANGED.
 */
export interface CorrectInsertionDeclaration {
  declarationId: string;
  hours: number;
  participants: ByPublic;
  recruitments: ByPublic;
  reason: string;
}

/** The `insertion.CorrectInsertionDeclaration` use case; owner: the declaration's `ownerOrganisation`. */
export const correctInsertionDeclaration: UseCase<CorrectInsertionDeclaration, InsertionDeclarationState, InsertionEvent> = {
  type: 'insertion.CorrectInsertionDeclaration',
  aggregate: insertionDeclarationAggregate,
  parse(data) {
    const c = new Check(data as Record<string, unknown>).only('declarationId', 'hours', 'participants', 'recruitments', 'reason');
    const cmd: CorrectInsertionDeclaration = {
      declarationId: c.id('declarationId'),
      hours: c.integer('hours', 0, MAX_HOURS),
      participants: checkByPublic(c, 'participants'),
      recruitments: checkByPublic(c, 'recruitments'),
      reason: c.string('reason', 1000),
    };
    c.done();
    return cmd;
  },
  streamId: (cmd) => insertionStream(cmd.declarationId),
  owner: (_cmd, state) => state.ownerOrganisation,
  decide(cmd, state): InsertionDeclarationCorrected[] {
    InsertionRules.mustExist(state);
    InsertionRules.recruitmentsWithinParticipants(cmd);
    InsertionRules.hoursNeedParticipants(cmd);
    InsertionRules.correctionChanges(state, cmd);
    return [
      {
        type: 'insertion.InsertionDeclarationCorrected.v1',
        data: {
          declarationId: cmd.declarationId,
          hours: cmd.hours,
          participants: cmd.participants,
          recruitments: cmd.recruitments,
          previous: { hours: state.hours, participants: state.participants, recruitments: state.recruitments },
          reason: cmd.reason,
        },
      },
    ];
  },
};
