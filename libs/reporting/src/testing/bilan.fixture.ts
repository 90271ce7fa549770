import { type BilanReport } from '../bilan/bilan-report';

const ins = (year: string | null, hours: number, participants: number, recruitments: number) => ({
  keys: year ? { year } : {},
  hours,
  participants: { deld: 3, rsa: 2, jeunes: 1, rqth: 0, autres: participants - 6, total: participants },
  recruitments: { deld: 1, rsa: 1, jeunes: 0, rqth: 0, autres: recruitments - 2, total: recruitments },
});

/** A small hand-made bilan with exact figures, for the format tests (values chosen to exercise escaping and cents). */
export const BILAN_FIXTURE: BilanReport = {
  asOf: '2022-12-31',
  knownAt: '2023-01-16T00:00:00.000Z',
  programme: { targetVersion: 1, targetDate: '2027-12-31', energyGoalKwhPerM2Year: 130, targetSource: '002 §1a' },
  logements: {
    target: 23000,
    delivered: 1234,
    percentage: 5.4,
    byEpci: [
      { key: 'CALL', label: "Communauté d'agglomération de Lens-Liévin", delivered: 1000 },
      { key: 'CAD', label: 'Douaisis Agglo <Nord>', delivered: 234 },
    ],
    byBailleur: [
      { key: 'SIA_HABITAT', label: 'SIA Habitat', delivered: 900 },
      { key: 'MAISONS_ET_CITES', label: 'Maisons & Cités', delivered: 334 },
    ],
    byCite: [{ key: 'cite-du-12-14', label: 'Cité du 12/14', delivered: 1234 }],
    byFinancer: [{ key: 'ETAT', label: 'État', delivered: 1234 }],
    byAxis: [{ key: '1a', label: 'Rénover les cités minières', delivered: 1234 }],
    byFinancing: [{ key: 'erbm', label: 'erbm', delivered: 1234 }],
    byYear: [
      { key: '2021', label: '2021', delivered: 1000 },
      { key: '2022', label: '2022', delivered: 234 },
    ],
    timeline: [
      { month: '2021-01', delivered: 600, cumulative: 600 },
      { month: '2021-06', delivered: 400, cumulative: 1000 },
      { month: '2022-03', delivered: 234, cumulative: 1234 },
    ],
  },
  operations: {
    logements: {
      terminees: 1,
      enTravaux: 2,
      byPhase: [
        { kind: 'logements', financing: 'erbm', phase: 'travaux', operations: 2, plannedLogements: 300 },
        { kind: 'logements', financing: 'erbm', phase: 'terminee', operations: 1, plannedLogements: 100 },
      ],
    },
    urbaines: { terminees: 0, enTravaux: 1, byPhase: [{ kind: 'urbaine', financing: null, phase: 'travaux', operations: 1, plannedLogements: 0 }] },
  },
  subsidies: {
    logementsCents: 141_000_005,
    logementsEur: '1410000.05',
    urbainesEtatRegion2021_2022Cents: 0,
    urbainesEtatRegion2021_2022Eur: '0.00',
    decided: { cents: 141_000_005, eur: '1410000.05' },
    paid: { cents: 30_000_099, eur: '300000.99' },
    byFinancer: [
      { financer: 'ETAT', decided: { cents: 96_000_000, eur: '960000.00' }, paid: { cents: 30_000_099, eur: '300000.99' } },
      { financer: 'REGION_HDF', decided: { cents: 45_000_005, eur: '450000.05' }, paid: { cents: 0, eur: '0.00' } },
    ],
    byFinancerAxisDispositifYear: [
      { keys: { financer: 'ETAT', epci: 'CALL', axis: '1a', dispositif: 'aides-a-la-pierre', year: '2020' }, decidedCents: 96_000_000, paidCents: 30_000_099, decidedEur: '960000.00', paidEur: '300000.99' },
      { keys: { financer: 'REGION_HDF', epci: 'CALL', axis: '1a', dispositif: 'fonds-conjoint-etat-region', year: '2021' }, decidedCents: 45_000_005, paidCents: 0, decidedEur: '450000.05', paidEur: '0.00' },
    ],
  },
  insertion: {
    logementsHours: 1250,
    logementsRecruited: 2,
    logementsRsa: 1,
    programmeHours: 1750,
    programmeParticipantsDeld: 3,
    programme: ins(null, 1750, 8, 3),
    logements: ins(null, 1250, 6, 2),
    byEpci: [{ ...ins(null, 1750, 8, 3), keys: { epci: 'CALL' } }],
    byYear: [ins('2021', 1500, 7, 3), ins('2022', 250, 6, 2)],
  },
  energy: {
    logements: 100,
    averageBeforeKwhPerM2Year: 327.5,
    averageAfterKwhPerM2Year: 118.4,
    goalKwhPerM2Year: 130,
    logementsUnderGoal: 60,
    shareUnderGoal: 0.6,
    dpeBefore: { E: 40, F: 60 },
    dpeAfter: { B: 60, C: 40 },
  },
  byAxis: [
    { code: '1a', label: 'Rénover les cités minières', logementsDelivered: 135, subsidiesDecided: { cents: 142_000_000, eur: '1420000.00' }, subsidiesPaid: { cents: 77_000_000, eur: '770000.00' }, insertionHours: 0 },
    { code: '2e', label: "Agir par l'insertion et la formation", logementsDelivered: 0, subsidiesDecided: { cents: 0, eur: '0.00' }, subsidiesPaid: { cents: 0, eur: '0.00' }, insertionHours: 1750 },
  ],
};
