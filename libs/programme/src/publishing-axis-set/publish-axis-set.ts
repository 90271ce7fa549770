import { Check, type UseCase, conflict } from '@erbm/shared';
import { type ProgrammeState, programmeAggregate, programmeStream } from '../programme/programme.aggregate';
import { type Axis, type AxisSetPublished, type ProgrammeEvent } from '../programme/programme.events';
import { ProgrammeRules } from '../programme/programme.rules';

/** Axis codes: a digit for a top axis (`1`), digit + letter for a sub-axis (`1a`); REFERENCE.md §2. */
export const AXIS_CODE = /^[1-9][a-z]?$/;

/**
 * `programme.PublishAxisSet`: publishes a version of the axis structure (ERBM `bilan-2022`: 4 axes and their
 * sub-axes from the 2017/2022 mid-term review, seeds `002` sommaire; REFERENCE.md §2).
 * - `axisSetVersion`: kebab-case, unique within the programme; `effectiveFrom`: ISO date;
 * - `axes`: at least one; codes `^[1-9][a-z]?$`, unique; `parentCode` null for a top axis, and for a sub-axis the
 *   code of its top axis (`1a` → `1`), which must be in the same set.
 */
export interface PublishAxisSet {
  programmeId: string;
  axisSetVersion: string;
  effectiveFrom: string;
  axes: Axis[];
  source: string;
}

/**
 * Emits `programme.AxisSetPublished.v1` on `programme-<programmeId>`. Only the délégation issues it (owner null).
 * @throws COMMAND.INVALID naming each bad field (e.g. `axes[3].code`, `axes[4].parentCode`; rules `isUniqueAxisCode`,
 *   `isTopAxisParent`, `isParentInSet`), PROGRAMME.NOT_FOUND, PROGRAMME.AXIS_SET_ALREADY_PUBLISHED (conflict).
 */
export const publishAxisSet: UseCase<PublishAxisSet, ProgrammeState, ProgrammeEvent> = {
  type: 'programme.PublishAxisSet',
  aggregate: programmeAggregate,
  parse(data) {
    const c = new Check(data as Record<string, unknown>).only('programmeId', 'axisSetVersion', 'effectiveFrom', 'axes', 'source');
    const axes: Axis[] = c.array('axes', 1, 200).map((a) => {
      a.only('code', 'label', 'parentCode');
      const parentCode = a.optionalString('parentCode', 2);
      return { code: a.string('code', 2, AXIS_CODE), label: a.string('label', 256), parentCode };
    });
    const cmd: PublishAxisSet = {
      programmeId: c.id('programmeId'),
      axisSetVersion: c.id('axisSetVersion'),
      effectiveFrom: c.date('effectiveFrom'),
      axes,
      source: c.string('source', 1000),
    };
    checkAxisTree(c, axes);
    c.done();
    return cmd;
  },
  streamId: (cmd) => programmeStream(cmd.programmeId),
  owner: () => null,
  decide(cmd, state): AxisSetPublished[] {
    ProgrammeRules.mustBeLaunched(state);
    if (state.axisSets.some((s) => s.axisSetVersion === cmd.axisSetVersion)) {
      throw conflict('PROGRAMME.AXIS_SET_ALREADY_PUBLISHED', `Axis set ${cmd.axisSetVersion} is already published`);
    }
    return [
      {
        type: 'programme.AxisSetPublished.v1',
        data: {
          programmeId: cmd.programmeId,
          axisSetVersion: cmd.axisSetVersion,
          effectiveFrom: cmd.effectiveFrom,
          axes: cmd.axes.map((a) => ({ code: a.code, label: a.label, parentCode: a.parentCode })),
          source: cmd.source,
        },
      },
    ];
  },
};

/** Structure of the set: unique codes; top axes have no parent; a sub-axis's parent is its top axis, in the set. */
function checkAxisTree(c: Check, axes: Axis[]): void {
  const codes = new Set(axes.map((a) => a.code));
  const seen = new Set<string>();
  axes.forEach((axis, i) => {
    if (typeof axis.code !== 'string' || !AXIS_CODE.test(axis.code)) return;
    if (seen.has(axis.code)) c.violations.push({ field: `axes[${i}].code`, rule: 'isUniqueAxisCode', message: `duplicates axis code ${axis.code}` });
    seen.add(axis.code);
    const expectedParent = axis.code.length === 1 ? null : axis.code[0];
    if (axis.parentCode !== expectedParent) {
      c.violations.push({
        field: `axes[${i}].parentCode`,
        rule: 'isTopAxisParent',
        message: expectedParent === null ? 'must be null for a top axis' : `must be ${expectedParent}, the top axis of ${axis.code}`,
      });
    } else if (expectedParent !== null && !codes.has(expectedParent)) {
      c.violations.push({ field: `axes[${i}].parentCode`, rule: 'isParentInSet', message: `references axis ${expectedParent}, absent from the set` });
    }
  });
}
