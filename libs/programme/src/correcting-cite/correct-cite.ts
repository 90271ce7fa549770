import { Check, type UseCase, ruleViolated } from '@erbm/shared';
import { type CiteState, citeAggregate, citeStream } from '../cite/cite.aggregate';
import { CITE_FIELDS, type CiteContext, citeDescription, citeLookups, readCiteDescription } from '../cite/cite.command';
import { type CiteCorrected, type CiteDescription, type CiteEvent } from '../cite/cite.events';
import { CiteRules } from '../cite/cite.rules';

/**
 * `programme.CorrectCite`: corrects a registered cité by restating its full description (see `CiteDescription`)
 * with the `reason` (≤ 1000 chars). A compensating event: the original registration stays in the stream.
 */
export type CorrectCite = CiteDescription & { reason: string };

/**
 * Emits `programme.CiteCorrected.v1` on `cite-<citeId>`. Only the délégation issues it (owner null).
 * Looks up the EPCI, and the bailleur when `bailleurCode` is not null.
 * @throws COMMAND.INVALID (fields), CITE.NOT_FOUND (field `citeId`), EPCI.NOT_FOUND (field `epciCode`),
 *   BAILLEUR.NOT_FOUND (field `bailleurCode`), CITE.CORRECTION_UNCHANGED (rule: the description is already this one).
 */
export const correctCite: UseCase<CorrectCite, CiteState, CiteEvent, CiteContext> = {
  type: 'programme.CorrectCite',
  aggregate: citeAggregate,
  parse(data) {
    const c = new Check(data as Record<string, unknown>).only(...CITE_FIELDS, 'reason');
    const cmd: CorrectCite = { ...readCiteDescription(c), reason: c.string('reason', 1000) };
    c.done();
    return cmd;
  },
  streamId: (cmd) => citeStream(cmd.citeId),
  lookups: citeLookups,
  owner: () => null,
  decide(cmd, state, { epci, bailleur }): CiteCorrected[] {
    CiteRules.mustExist(state);
    CiteRules.epciMustExist(epci, cmd.epciCode);
    CiteRules.bailleurMustExist(bailleur, cmd.bailleurCode);
    const corrected = citeDescription(cmd);
    if (JSON.stringify(corrected) === JSON.stringify(state.description)) {
      throw ruleViolated('CITE.CORRECTION_UNCHANGED', 'The correction restates the current description unchanged', 'citeId');
    }
    return [{ type: 'programme.CiteCorrected.v1', data: { ...corrected, reason: cmd.reason } }];
  },
};
