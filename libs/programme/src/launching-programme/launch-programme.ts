import { Check, type UseCase, conflict } from '@erbm/shared';
import { type ProgrammeState, programmeAggregate, programmeStream } from '../programme/programme.aggregate';
import { type ProgrammeEvent, type ProgrammeLaunched } from '../programme/programme.events';
import { ProgrammeRules } from '../programme/programme.rules';

/**
 * `programme.LaunchProgramme`: the programme is signed (ERBM: `erbm`, signed 2017-03-07, 2017–2027; REFERENCE.md §1,
 * seeds `000`, `002`). `signedOn` is an ISO date; years are integers 1900–2100.
 */
export interface LaunchProgramme {
  programmeId: string;
  name: string;
  signedOn: string;
  startYear: number;
  endYear: number;
}

/**
 * Emits `programme.ProgrammeLaunched.v1` on `programme-<programmeId>`. Only the délégation issues it (owner null).
 * @throws COMMAND.INVALID (fields), PROGRAMME.ALREADY_LAUNCHED (conflict), PROGRAMME.END_BEFORE_START (rule).
 */
export const launchProgramme: UseCase<LaunchProgramme, ProgrammeState, ProgrammeEvent> = {
  type: 'programme.LaunchProgramme',
  aggregate: programmeAggregate,
  parse(data) {
    const c = new Check(data as Record<string, unknown>).only('programmeId', 'name', 'signedOn', 'startYear', 'endYear');
    const cmd: LaunchProgramme = {
      programmeId: c.id('programmeId'),
      name: c.string('name', 256),
      signedOn: c.date('signedOn'),
      startYear: c.integer('startYear', 1900, 2100),
      endYear: c.integer('endYear', 1900, 2100),
    };
    c.done();
    return cmd;
  },
  streamId: (cmd) => programmeStream(cmd.programmeId),
  owner: () => null,
  decide(cmd, state): ProgrammeLaunched[] {
    if (state.status !== 'none') throw conflict('PROGRAMME.ALREADY_LAUNCHED', `Programme ${cmd.programmeId} is already launched`);
    ProgrammeRules.periodOrdered(cmd.startYear, cmd.endYear);
    return [
      {
        type: 'programme.ProgrammeLaunched.v1',
        data: { programmeId: cmd.programmeId, name: cmd.name, signedOn: cmd.signedOn, startYear: cmd.startYear, endYear: cmd.endYear },
      },
    ];
  },
};
