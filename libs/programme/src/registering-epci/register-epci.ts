import { Check, type UseCase, conflict } from '@erbm/shared';
import { type EpciState, epciAggregate, epciStream } from '../epci/epci.aggregate';
import { type EpciEvent, type EpciRegistered } from '../epci/epci.events';

/**
 * `programme.RegisterEpci`: registers one of the EPCI signatories (REFERENCE.md §3).
 * `epciCode` upper snake case; `communes` integer ≥ 1 or null when no source gives it.
 */
export interface RegisterEpci {
  epciCode: string;
  name: string;
  communes: number | null;
}

/**
 * Emits `programme.EpciRegistered.v1` on `epci-<epciCode>`. Only the délégation issues it (owner null).
 * @throws COMMAND.INVALID (fields), EPCI.ALREADY_REGISTERED (conflict).
 */
export const registerEpci: UseCase<RegisterEpci, EpciState, EpciEvent> = {
  type: 'programme.RegisterEpci',
  aggregate: epciAggregate,
  parse(data) {
    const c = new Check(data as Record<string, unknown>).only('epciCode', 'name', 'communes');
    const cmd: RegisterEpci = { epciCode: c.code('epciCode'), name: c.string('name', 256), communes: c.optionalInteger('communes', 1) };
    c.done();
    return cmd;
  },
  streamId: (cmd) => epciStream(cmd.epciCode),
  owner: () => null,
  decide(cmd, state): EpciRegistered[] {
    if (state.status !== 'none') throw conflict('EPCI.ALREADY_REGISTERED', `EPCI ${cmd.epciCode} is already registered`);
    return [{ type: 'programme.EpciRegistered.v1', data: { epciCode: cmd.epciCode, name: cmd.name, communes: cmd.communes } }];
  },
};
