import { Check, type UseCase, conflict } from '@erbm/shared';
import { type BailleurState, bailleurAggregate, bailleurStream } from '../bailleur/bailleur.aggregate';
import { type BailleurEvent, type BailleurRegistered } from '../bailleur/bailleur.events';

/** `programme.RegisterBailleur`: registers a social landlord (REFERENCE.md §5). `bailleurCode` upper snake case. */
export interface RegisterBailleur {
  bailleurCode: string;
  name: string;
}

/**
 * Emits `programme.BailleurRegistered.v1` on `bailleur-<bailleurCode>`. Only the délégation issues it (owner null).
 * @throws COMMAND.INVALID (fields), BAILLEUR.ALREADY_REGISTERED (conflict).
 */
export const registerBailleur: UseCase<RegisterBailleur, BailleurState, BailleurEvent> = {
  type: 'programme.RegisterBailleur',
  aggregate: bailleurAggregate,
  parse(data) {
    const c = new Check(data as Record<string, unknown>).only('bailleurCode', 'name');
    const cmd: RegisterBailleur = { bailleurCode: c.code('bailleurCode'), name: c.string('name', 256) };
    c.done();
    return cmd;
  },
  streamId: (cmd) => bailleurStream(cmd.bailleurCode),
  owner: () => null,
  decide(cmd, state): BailleurRegistered[] {
    if (state.status !== 'none') throw conflict('BAILLEUR.ALREADY_REGISTERED', `Bailleur ${cmd.bailleurCode} is already registered`);
    return [{ type: 'programme.BailleurRegistered.v1', data: { bailleurCode: cmd.bailleurCode, name: cmd.name } }];
  },
};
