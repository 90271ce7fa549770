import { Check, type EpciFacts, type FinancerCategory, type Lookup, type UseCase, conflict } from '@erbm/shared';
import { type FinancerState, financerAggregate, financerStream } from '../financer/financer.aggregate';
import { FINANCER_CATEGORIES, type FinancerEvent, type FinancerRegistered } from '../financer/financer.events';
import { FinancerRules } from '../financer/financer.rules';

/**
 * `programme.RegisterFinancer`: registers a financer (REFERENCE.md §4, seeds `002`).
 * `financerCode` upper snake case; `category` one of `FINANCER_CATEGORIES`; `epciCode` the EPCI's code when the
 * category is `epci`, else null.
 */
export interface RegisterFinancer {
  financerCode: string;
  name: string;
  category: FinancerCategory;
  epciCode: string | null;
}

/**
 * Facts the decision needs: the financer's EPCI, looked up only when `epciCode` is not null (the key is then absent
 * from `lookups`, and `epci` is undefined).
 */
export interface RegisterFinancerContext {
  epci?: EpciFacts | null;
}

/**
 * Emits `programme.FinancerRegistered.v1` on `financer-<financerCode>`. Only the délégation issues it (owner null).
 * @throws COMMAND.INVALID (fields), FINANCER.ALREADY_REGISTERED (conflict), FINANCER.EPCI_CODE_REQUIRED,
 *   FINANCER.EPCI_CODE_NOT_ALLOWED (rule), EPCI.NOT_FOUND (not-found, field `epciCode`).
 */
export const registerFinancer: UseCase<RegisterFinancer, FinancerState, FinancerEvent, RegisterFinancerContext> = {
  type: 'programme.RegisterFinancer',
  aggregate: financerAggregate,
  parse(data) {
    const c = new Check(data as Record<string, unknown>).only('financerCode', 'name', 'category', 'epciCode');
    const cmd: RegisterFinancer = {
      financerCode: c.code('financerCode'),
      name: c.string('name', 256),
      category: c.oneOf('category', FINANCER_CATEGORIES),
      epciCode: c.optionalCode('epciCode'),
    };
    c.done();
    return cmd;
  },
  streamId: (cmd) => financerStream(cmd.financerCode),
  lookups: (cmd) => (cmd.epciCode === null ? {} : { epci: { fact: 'epci', id: cmd.epciCode } }) as Record<'epci', Lookup>,
  owner: () => null,
  decide(cmd, state, { epci }): FinancerRegistered[] {
    if (state.status !== 'none') throw conflict('FINANCER.ALREADY_REGISTERED', `Financer ${cmd.financerCode} is already registered`);
    FinancerRules.epciCodeMatchesCategory(cmd.category, cmd.epciCode);
    FinancerRules.epciMustExist(epci, cmd.epciCode);
    return [{ type: 'programme.FinancerRegistered.v1', data: { financerCode: cmd.financerCode, name: cmd.name, category: cmd.category, epciCode: cmd.epciCode } }];
  },
};

