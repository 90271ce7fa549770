import { fold } from '@erbm/shared';
import { given } from '@erbm/shared/testing';
import { launchProgramme } from '../launching-programme/launch-programme';
import { publishAxisSet } from '../publishing-axis-set/publish-axis-set';
import { setTarget } from '../setting-target/set-target';
import { axisSetInEffect, currentTarget, programmeAggregate } from './programme.aggregate';
import { type AxisSetPublished, type ProgrammeEvent, type ProgrammeLaunched, type TargetSet } from './programme.events';

const violatedFields = (run: () => unknown): string[] => {
  let error: unknown;
  try {
    run();
  } catch (e) {
    error = e;
  }
  expect(error).toMatchObject({ code: 'COMMAND.INVALID', kind: 'validation' });
  return (error as { violations: { field: string }[] }).violations.map((v) => v.field).sort();
};

const launch = { programmeId: 'erbm', name: 'Engagement pour le Renouveau du Bassin Minier Nord-Pas de Calais', signedOn: '2017-03-07', startYear: 2017, endYear: 2027 };
const launched: ProgrammeLaunched = { type: 'programme.ProgrammeLaunched.v1', data: launch };
// REFERENCE.md §1, seeds 002: 23 000 logements, < 130 kWh/m².
const target1 = {
  programmeId: 'erbm',
  targetVersion: 1,
  logements: 23_000,
  energyGoalKwhPerM2Year: 130,
  targetDate: '2027-12-31',
  effectiveFrom: '2017-03-07',
  source: '002 §1a (23 000 logements, < 130 kWh/m²); 000',
};
const targetSet1: TargetSet = { type: 'programme.TargetSet.v1', data: target1 };
const axes = [
  { code: '1', label: 'Améliorer le cadre de vie', parentCode: null },
  { code: '1a', label: 'Rénover les cités minières', parentCode: '1' },
  { code: '2', label: "Développer l'activité économique et rendre l'emploi accessible à tous", parentCode: null },
  { code: '2d', label: "Rendre l'emploi accessible : insérer et former", parentCode: '2' },
];
const axisSet = { programmeId: 'erbm', axisSetVersion: 'bilan-2022', effectiveFrom: '2017-03-07', axes, source: '002 sommaire' };
const axisSetPublished: AxisSetPublished = { type: 'programme.AxisSetPublished.v1', data: axisSet };

describe('programme: the programme stream', () => {
  describe('LaunchProgramme', () => {
    it('launches the programme', () => given(launchProgramme, []).when(launch).then([launched]));
    it('launches only once', () => given(launchProgramme, [launched]).when(launch).thenThrows('PROGRAMME.ALREADY_LAUNCHED'));
    it('refuses a period ending before it starts', () =>
      given(launchProgramme, []).when({ ...launch, startYear: 2027, endYear: 2017 }).thenThrows('PROGRAMME.END_BEFORE_START'));
    it('rejects bad and unknown fields, naming each field', () =>
      expect(violatedFields(() => launchProgramme.parse({ ...launch, programmeId: 'ERBM', signedOn: '2017-02-30', startYear: 2017.5, endYear: '2027', extra: 1 }))).toEqual([
        'endYear',
        'extra',
        'programmeId',
        'signedOn',
        'startYear',
      ]));
    it('is administered by the délégation only', () => expect(launchProgramme.owner?.(launchProgramme.parse(launch), programmeAggregate.initialState(), {})).toBeNull());
  });

  describe('SetTarget', () => {
    it('sets the first target as version 1', () => given(setTarget, [launched]).when(target1).then([targetSet1]));
    it('sets later versions as exactly previous + 1', () => {
      const target2 = { ...target1, targetVersion: 2, logements: 24_000, effectiveFrom: '2019-01-01', source: 'presse' };
      given(setTarget, [launched, targetSet1]).when(target2).then([{ type: 'programme.TargetSet.v1', data: target2 }]);
    });
    it('requires a launched programme', () => given(setTarget, []).when(target1).thenThrows('PROGRAMME.NOT_FOUND'));
    it('refuses a version that is not the next one', () => {
      given(setTarget, [launched]).when({ ...target1, targetVersion: 2 }).thenThrows('PROGRAMME.TARGET_VERSION_NOT_NEXT');
      given(setTarget, [launched, targetSet1]).when(target1).thenThrows('PROGRAMME.TARGET_VERSION_NOT_NEXT');
      given(setTarget, [launched, targetSet1]).when({ ...target1, targetVersion: 3 }).thenThrows('PROGRAMME.TARGET_VERSION_NOT_NEXT');
    });
    it('refuses a version effective before the previous one', () =>
      given(setTarget, [launched, targetSet1]).when({ ...target1, targetVersion: 2, effectiveFrom: '2017-03-06' }).thenThrows('PROGRAMME.TARGET_EFFECTIVE_BEFORE_PREVIOUS'));
    it('refuses a target date before the version applies', () =>
      given(setTarget, [launched]).when({ ...target1, targetDate: '2017-01-01' }).thenThrows('PROGRAMME.TARGET_DATE_BEFORE_EFFECTIVE'));
    it('rejects non-positive or fractional figures, naming each field', () => {
      expect(violatedFields(() => setTarget.parse({ ...target1, logements: 0, energyGoalKwhPerM2Year: 129.5, targetVersion: 0 }))).toEqual([
        'energyGoalKwhPerM2Year',
        'logements',
        'targetVersion',
      ]);
      expect(violatedFields(() => setTarget.parse({ ...target1, logements: -1, energyGoalKwhPerM2Year: 0, source: '' }))).toEqual(['energyGoalKwhPerM2Year', 'logements', 'source']);
      expect(violatedFields(() => setTarget.parse({ programmeId: 'erbm' }))).toEqual(['effectiveFrom', 'energyGoalKwhPerM2Year', 'logements', 'source', 'targetDate', 'targetVersion']);
    });
  });

  describe('PublishAxisSet', () => {
    it('publishes an axis set', () => given(publishAxisSet, [launched]).when(axisSet).then([axisSetPublished]));
    it('requires a launched programme', () => given(publishAxisSet, []).when(axisSet).thenThrows('PROGRAMME.NOT_FOUND'));
    it('publishes each axisSetVersion once per programme', () =>
      given(publishAxisSet, [launched, axisSetPublished]).when({ ...axisSet, effectiveFrom: '2022-01-01' }).thenThrows('PROGRAMME.AXIS_SET_ALREADY_PUBLISHED'));
    it('accepts another version beside the first', () => {
      const signature = { ...axisSet, axisSetVersion: 'signature-2017', axes: [{ code: '1', label: 'Redonner de la fierté aux habitants', parentCode: null }], source: '000' };
      given(publishAxisSet, [launched, axisSetPublished]).when(signature).then([{ type: 'programme.AxisSetPublished.v1', data: signature }]);
    });
    it('rejects an empty set and bad codes, naming each field', () => {
      expect(violatedFields(() => publishAxisSet.parse({ ...axisSet, axes: [] }))).toEqual(['axes']);
      expect(violatedFields(() => publishAxisSet.parse({ ...axisSet, axes: [{ code: '0', label: 'x', parentCode: null }, { code: '1A', label: 'y', parentCode: null }, { code: '12', label: '', parentCode: null, extra: true }] }))).toEqual([
        'axes[0].code',
        'axes[1].code',
        'axes[2].code',
        'axes[2].extra',
        'axes[2].label',
      ]);
      expect(violatedFields(() => publishAxisSet.parse({ ...axisSet, axisSetVersion: 'Bilan 2022', effectiveFrom: 'mars 2017' }))).toEqual(['axisSetVersion', 'effectiveFrom']);
    });
    it('rejects duplicate codes and parents that are not the top axis in the set', () => {
      expect(violatedFields(() => publishAxisSet.parse({ ...axisSet, axes: [...axes, { code: '1a', label: 'doublon', parentCode: '1' }] }))).toEqual(['axes[4].code']);
      expect(
        violatedFields(() =>
          publishAxisSet.parse({
            ...axisSet,
            axes: [
              { code: '1', label: 'top with a parent', parentCode: '2' },
              { code: '2', label: 'top', parentCode: null },
              { code: '1b', label: 'sub without parent', parentCode: null },
              { code: '2a', label: 'sub with the wrong parent', parentCode: '1' },
              { code: '3a', label: 'sub of an absent axis', parentCode: '3' },
            ],
          }),
        ),
      ).toEqual(['axes[0].parentCode', 'axes[2].parentCode', 'axes[3].parentCode', 'axes[4].parentCode']);
    });
  });

  describe('state and accessors', () => {
    const history: ProgrammeEvent[] = [
      launched,
      targetSet1,
      axisSetPublished,
      { type: 'programme.TargetSet.v1', data: { ...target1, targetVersion: 2, logements: 24_000, effectiveFrom: '2020-01-01', source: 'presse' } },
      { type: 'programme.AxisSetPublished.v1', data: { ...axisSet, axisSetVersion: 'revue-2024', effectiveFrom: '2024-01-01' } },
    ];
    it('currentTarget is the latest version, null before launch or any target', () => {
      expect(currentTarget(fold(programmeAggregate, history))).toEqual({
        targetVersion: 2,
        logements: 24_000,
        energyGoalKwhPerM2Year: 130,
        targetDate: '2027-12-31',
        effectiveFrom: '2020-01-01',
        source: 'presse',
      });
      expect(currentTarget(fold(programmeAggregate, [launched]))).toBeNull();
      expect(currentTarget(programmeAggregate.initialState())).toBeNull();
    });
    it('keeps every axis set and finds the one in effect on a date', () => {
      const state = fold(programmeAggregate, history);
      expect(state.axisSets.map((s) => s.axisSetVersion)).toEqual(['bilan-2022', 'revue-2024']);
      expect(axisSetInEffect(state, '2017-03-06')).toBeNull();
      expect(axisSetInEffect(state, '2023-12-31')?.axisSetVersion).toBe('bilan-2022');
      expect(axisSetInEffect(state, '2024-01-01')?.axisSetVersion).toBe('revue-2024');
    });
  });
});
