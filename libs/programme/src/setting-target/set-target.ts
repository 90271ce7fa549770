import { Check, type UseCase } from '@erbm/shared';
import { type ProgrammeState, programmeAggregate, programmeStream } from '../programme/programme.aggregate';
import { type ProgrammeEvent, type TargetSet } from '../programme/programme.events';
import { ProgrammeRules } from '../programme/programme.rules';

/**
 * `programme.SetTarget`: sets a new version of the programme's headline target.
 * - `targetVersion`: 1 for the first target, then exactly previous + 1;
 * - `logements`: integer > 0; `energyGoalKwhPerM2Year`: integer primary energy kWhEP/m².an, > 0;
 * - `targetDate`, `effectiveFrom`: ISO dates; `source`: where the figures come from.
 *
 * ERBM version 1: 23 000 logements and < 130 kWh/m² by 2027-12-31, from seeds `002` (REFERENCE.md §1). Press sources
 * also quote 24 000 and 30 000 logements (and public sources "étiquette C", "BBC Rénovation < 104 kWh/m²"), hence
 * versions rather than a constant.
 */
export interface SetTarget {
  programmeId: string;
  targetVersion: number;
  logements: number;
  energyGoalKwhPerM2Year: number;
  targetDate: string;
  effectiveFrom: string;
  source: string;
}

/**
 * Emits `programme.TargetSet.v1` on `programme-<programmeId>`. Only the délégation issues it (owner null).
 * @throws COMMAND.INVALID (fields, incl. `logements` and `energyGoalKwhPerM2Year` not integers > 0),
 *   PROGRAMME.NOT_FOUND, PROGRAMME.TARGET_VERSION_NOT_NEXT, PROGRAMME.TARGET_EFFECTIVE_BEFORE_PREVIOUS,
 *   PROGRAMME.TARGET_DATE_BEFORE_EFFECTIVE.
 */
export const setTarget: UseCase<SetTarget, ProgrammeState, ProgrammeEvent> = {
  type: 'programme.SetTarget',
  aggregate: programmeAggregate,
  parse(data) {
    const c = new Check(data as Record<string, unknown>).only(
      'programmeId', 'targetVersion', 'logements', 'energyGoalKwhPerM2Year', 'targetDate', 'effectiveFrom', 'source',
    );
    const cmd: SetTarget = {
      programmeId: c.id('programmeId'),
      targetVersion: c.integer('targetVersion', 1),
      logements: c.integer('logements', 1),
      energyGoalKwhPerM2Year: c.integer('energyGoalKwhPerM2Year', 1),
      targetDate: c.date('targetDate'),
      effectiveFrom: c.date('effectiveFrom'),
      source: c.string('source', 1000),
    };
    c.done();
    return cmd;
  },
  streamId: (cmd) => programmeStream(cmd.programmeId),
  owner: () => null,
  decide(cmd, state): TargetSet[] {
    ProgrammeRules.mustBeLaunched(state);
    ProgrammeRules.targetVersionIsNext(state, cmd.targetVersion);
    ProgrammeRules.targetEffectiveNotBeforePrevious(state, cmd.effectiveFrom);
    ProgrammeRules.targetDateNotBeforeEffective(cmd.targetDate, cmd.effectiveFrom);
    return [
      {
        type: 'programme.TargetSet.v1',
        data: {
          programmeId: cmd.programmeId,
          targetVersion: cmd.targetVersion,
          logements: cmd.logements,
          energyGoalKwhPerM2Year: cmd.energyGoalKwhPerM2Year,
          targetDate: cmd.targetDate,
          effectiveFrom: cmd.effectiveFrom,
          source: cmd.source,
        },
      },
    ];
  },
};
