import { notFound, ruleViolated } from '@erbm/shared';
import { type ProgrammeState } from './programme.aggregate';

/** Named business rules of the programme stream, asserted by code in tests. */
export const ProgrammeRules = {
  /** @throws PROGRAMME.NOT_FOUND (not-found, field `programmeId`) before `programme.ProgrammeLaunched.v1`. */
  mustBeLaunched(state: ProgrammeState): void {
    if (state.status === 'none') throw notFound('PROGRAMME.NOT_FOUND', 'No programme launched with this id', 'programmeId');
  },
  /** @throws PROGRAMME.END_BEFORE_START (rule, field `endYear`) when `endYear` < `startYear`. */
  periodOrdered(startYear: number, endYear: number): void {
    if (endYear < startYear) throw ruleViolated('PROGRAMME.END_BEFORE_START', `endYear ${endYear} is before startYear ${startYear}`, 'endYear');
  },
  /** Target versions are 1, 2, 3…: @throws PROGRAMME.TARGET_VERSION_NOT_NEXT (rule, field `targetVersion`). */
  targetVersionIsNext(state: ProgrammeState, targetVersion: number): void {
    const expected = (state.target?.targetVersion ?? 0) + 1;
    if (targetVersion !== expected) {
      throw ruleViolated('PROGRAMME.TARGET_VERSION_NOT_NEXT', `targetVersion must be ${expected}, got ${targetVersion}`, 'targetVersion');
    }
  },
  /**
   * A new target version never applies before the previous one:
   * @throws PROGRAMME.TARGET_EFFECTIVE_BEFORE_PREVIOUS (rule, field `effectiveFrom`).
   */
  targetEffectiveNotBeforePrevious(state: ProgrammeState, effectiveFrom: string): void {
    if (state.target && effectiveFrom < state.target.effectiveFrom) {
      throw ruleViolated(
        'PROGRAMME.TARGET_EFFECTIVE_BEFORE_PREVIOUS',
        `effectiveFrom ${effectiveFrom} is before the previous target's ${state.target.effectiveFrom}`,
        'effectiveFrom',
      );
    }
  },
  /** A target's horizon is not before it applies: @throws PROGRAMME.TARGET_DATE_BEFORE_EFFECTIVE (rule, field `targetDate`). */
  targetDateNotBeforeEffective(targetDate: string, effectiveFrom: string): void {
    if (targetDate < effectiveFrom) {
      throw ruleViolated('PROGRAMME.TARGET_DATE_BEFORE_EFFECTIVE', `targetDate ${targetDate} is before effectiveFrom ${effectiveFrom}`, 'targetDate');
    }
  },
};
