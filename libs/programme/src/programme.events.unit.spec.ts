import { type ProgrammeContextEvent, PROGRAMME_EVENT_TYPES } from './programme-context.events';

// Pins the serialized JSON of every programme-context event type: a change to a stored shape fails here and needs a
// new versioned type string plus an upcaster (docs/events.md#versioning).
const examples: ProgrammeContextEvent[] = [
  { type: 'programme.ProgrammeLaunched.v1', data: { programmeId: 'erbm', name: 'Engagement pour le Renouveau du Bassin Minier Nord-Pas de Calais', signedOn: '2017-03-07', startYear: 2017, endYear: 2027 } },
  {
    type: 'programme.TargetSet.v1',
    data: { programmeId: 'erbm', targetVersion: 1, logements: 23_000, energyGoalKwhPerM2Year: 130, targetDate: '2027-12-31', effectiveFrom: '2017-03-07', source: '002 §1a' },
  },
  {
    type: 'programme.AxisSetPublished.v1',
    data: {
      programmeId: 'erbm',
      axisSetVersion: 'bilan-2022',
      effectiveFrom: '2017-03-07',
      axes: [
        { code: '1', label: 'Améliorer le cadre de vie', parentCode: null },
        { code: '1a', label: 'Rénover les cités minières', parentCode: '1' },
      ],
      source: '002 sommaire',
    },
  },
  { type: 'programme.EpciRegistered.v1', data: { epciCode: 'CALL', name: "Communauté d'agglomération de Lens-Liévin", communes: 36 } },
  { type: 'programme.FinancerRegistered.v1', data: { financerCode: 'CALL', name: "Communauté d'agglomération de Lens-Liévin", category: 'epci', epciCode: 'CALL' } },
  { type: 'programme.BailleurRegistered.v1', data: { bailleurCode: 'MAISONS_ET_CITES', name: 'Maisons & Cités' } },
  {
    type: 'programme.CiteRegistered.v1',
    data: { citeId: 'cite-darcy', name: 'Cité Darcy', communes: ['Hénin-Beaumont'], epciCode: 'CAHC', bailleurCode: 'MAISONS_ET_CITES', logements: 383, unesco: false, priority: true },
  },
  {
    type: 'programme.CiteCorrected.v1',
    data: { citeId: 'cite-darcy', name: 'Cité Darcy', communes: ['Hénin-Beaumont'], epciCode: 'CAHC', bailleurCode: null, logements: null, unesco: false, priority: true, reason: 'bailleur inconnu' },
  },
];

describe('programme events: stored JSON', () => {
  it('has one example per event type', () => expect(examples.map((e) => e.type).sort()).toEqual([...PROGRAMME_EVENT_TYPES].sort()));
  it.each(examples.map((e) => [e.type, e]))('%s', (_type, event) => expect(JSON.stringify(event)).toMatchSnapshot());
});
