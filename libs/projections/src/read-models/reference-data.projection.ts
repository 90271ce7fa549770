import { type CiteDescription, type ProgrammeContextEvent } from '@erbm/programme';
import { type TableSpec, defineReadModel, insert, upsert } from '../runner/row-changes';

export const EPCI: TableSpec = { name: 'rm_epci', key: ['epci_code'], columns: { epci_code: 'text', name: 'text', communes: 'integer' } };
export const FINANCER: TableSpec = { name: 'rm_financer', key: ['financer_code'], columns: { financer_code: 'text', name: 'text', category: 'text', epci_code: 'text' } };
export const BAILLEUR: TableSpec = { name: 'rm_bailleur', key: ['bailleur_code'], columns: { bailleur_code: 'text', name: 'text' } };
export const CITE: TableSpec = {
  name: 'rm_cite',
  key: ['cite_id'],
  columns: { cite_id: 'text', name: 'text', communes: 'text[]', epci_code: 'text', bailleur_code: 'text', logements: 'integer', unesco: 'boolean', priority: 'boolean' },
};
export const PROGRAMME_TARGET: TableSpec = {
  name: 'rm_programme_target',
  key: ['programme_id', 'target_version'],
  columns: {
    programme_id: 'text', target_version: 'integer', logements: 'integer', energy_goal_kwh: 'integer', target_date: 'date', effective_from: 'date', source: 'text', recorded_at: 'timestamptz',
  },
};
export const AXIS: TableSpec = {
  name: 'rm_axis',
  key: ['axis_set_version', 'code'],
  columns: { axis_set_version: 'text', code: 'text', label: 'text', parent_code: 'text', effective_from: 'date', recorded_at: 'timestamptz' },
};

/**
 * Reference data (programme context): EPCI, financers, bailleurs and cités (current values), the programme's target
 * versions and the axis sets (with their knowledge time).
 */
export const referenceDataReadModel = defineReadModel<ProgrammeContextEvent>('reference data', [EPCI, FINANCER, BAILLEUR, CITE, PROGRAMME_TARGET, AXIS], {
  'programme.TargetSet.v1': {
    changes: (d, e) => [
      insert(PROGRAMME_TARGET, {
        programme_id: d.programmeId, target_version: d.targetVersion, logements: d.logements, energy_goal_kwh: d.energyGoalKwhPerM2Year, target_date: d.targetDate,
        effective_from: d.effectiveFrom, source: d.source, recorded_at: e.recordedAt,
      }),
    ],
  },
  'programme.AxisSetPublished.v1': {
    changes: (d, e) =>
      d.axes.map((a) => insert(AXIS, { axis_set_version: d.axisSetVersion, code: a.code, label: a.label, parent_code: a.parentCode, effective_from: d.effectiveFrom, recorded_at: e.recordedAt })),
  },
  'programme.EpciRegistered.v1': { changes: (d) => [upsert(EPCI, { epci_code: d.epciCode, name: d.name, communes: d.communes })] },
  'programme.FinancerRegistered.v1': { changes: (d) => [upsert(FINANCER, { financer_code: d.financerCode, name: d.name, category: d.category, epci_code: d.epciCode })] },
  'programme.BailleurRegistered.v1': { changes: (d) => [upsert(BAILLEUR, { bailleur_code: d.bailleurCode, name: d.name })] },
  'programme.CiteRegistered.v1': { changes: (d) => [upsert(CITE, citeRow(d))] },
  'programme.CiteCorrected.v1': { changes: (d) => [upsert(CITE, citeRow(d))] },
});

function citeRow(d: CiteDescription) {
  return { cite_id: d.citeId, name: d.name, communes: d.communes, epci_code: d.epciCode, bailleur_code: d.bailleurCode, logements: d.logements, unesco: d.unesco, priority: d.priority };
}
