import { Check, type UseCase, conflict } from '@erbm/shared';
import { type CiteState, citeAggregate, citeStream } from '../cite/cite.aggregate';
import { CITE_FIELDS, type CiteContext, citeDescription, citeLookups, readCiteDescription } from '../cite/cite.command';
import { type CiteDescription, type CiteEvent, type CiteRegistered } from '../cite/cite.events';
import { CiteRules } from '../cite/cite.rules';

/**
 * `programme.RegisterCite`: registers a cité minière (REFERENCE.md §6, seeds `002`, `003`, `001`); see
 * `CiteDescription` for the fields.
 */
export type RegisterCite = CiteDescription;

/**
 * Emits `programme.CiteRegistered.v1` on `cite-<citeId>`. Only the délégation issues it (owner null).
 * Looks up the EPCI, and the bailleur when `bailleurCode` is not null.
 * @throws COMMAND.INVALID (fields), CITE.ALREADY_REGISTERED (conflict), EPCI.NOT_FOUND (field `epciCode`),
 *   BAILLEUR.NOT_FOUND (field `bailleurCode`).
 */
export const registerCite: UseCase<RegisterCite, CiteState, CiteEvent, CiteContext> = {
  type: 'programme.RegisterCite',
  aggregate: citeAggregate,
  parse(data) {
    const c = new Check(data as Record<string, unknown>).only(...CITE_FIELDS);
    const cmd = readCiteDescription(c);
    c.done();
    return cmd;
  },
  streamId: (cmd) => citeStream(cmd.citeId),
  lookups: citeLookups,
  owner: () => null,
  decide(cmd, state, { epci, bailleur }): CiteRegistered[] {
    if (state.status !== 'none') throw conflict('CITE.ALREADY_REGISTERED', `Cité ${cmd.citeId} is already registered`);
    CiteRules.epciMustExist(epci, cmd.epciCode);
    CiteRules.bailleurMustExist(bailleur, cmd.bailleurCode);
    return [{ type: 'programme.CiteRegistered.v1', data: citeDescription(cmd) }];
  },
};
