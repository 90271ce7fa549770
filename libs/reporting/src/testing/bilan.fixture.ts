import { type BilanReport } from '../bilan/bilan-report';
import { bilanEstimates } from '../bilan/bilan';

const ins = (year: string | null, hours: number, participants: number, recruitments: number) => ({
  keys: year ? { year } : {},
  hours,
  participants: { deld: 3, rsa: 2, jeunes: 1, rqth: 0, autres: participants - 6, total: participants },
  recruitments: { deld: 1, rsa: 1, jeunes: 0, rqth: 0, autres: recruitments - 2, total: recruitments },
  // Half the hours estimated; no person.
  estimated: {
    hours: hours / 2,
    participants: { deld: 0, rsa: 0, jeunes: 0, rqth: 0, autres: 0, total: 0 },
    recruitments: { deld: 0, rsa: 0, jeunes: 0, rqth: 0, autres: 0, total: 0 },
  },
});
const g = (key: string, label: string, delivered: number, deliveredEstimated = 0) => ({ key, label, delivered, deliveredEstimated });

/**
 * A small hand-made bilan with exact figures, for the format tests (values chosen to exercise escaping and cents):
 * 1 000 of the 1 234 logements livrés estimated (all of CALL's), half of the insertion hours, the State's decision.
 */
const BASE: Omit<BilanReport, 'estimates'> = {
  asOf: '2022-12-31',
  knownAt: '2023-01-16T00:00:00.000Z',
  programme: { targetVersion: 1, targetDate: '2027-12-31', energyGoalKwhPerM2Year: 130, targetSource: '002 §1a' },
  logements: {
    target: 23000,
    delivered: 1234,
    deliveredEstimated: 1000,
    percentage: 5.4,
    byEpci: [g('CALL', "Communauté d'agglomération de Lens-Liévin", 1000, 1000), g('CAD', 'Douaisis Agglo <Nord>', 234)],
    byBailleur: [g('SIA_HABITAT', 'SIA Habitat', 900, 900), g('MAISONS_ET_CITES', 'Maisons & Cités', 334, 100)],
    byCite: [g('cite-du-12-14', 'Cité du 12/14', 1234, 1000)],
    byFinancer: [g('ETAT', 'État', 1234, 1000), g('REGION_HDF', 'Région Hauts-de-France', 1000, 1000)],
    deliveredWithFinancer: { delivered: 1234, deliveredEstimated: 1000 },
    byAxis: [g('1a', '1a', 1234, 1000)],
    byFinancing: [g('erbm', 'erbm', 1234, 1000)],
    byYear: [g('2021', '2021', 1000, 1000), g('2022', '2022', 234)],
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
        { kind: 'logements', financing: 'erbm', phase: 'terminee', operations: 1, operationsEstimated: 0, plannedLogements: 100 },
        { kind: 'logements', financing: 'erbm', phase: 'travaux', operations: 2, operationsEstimated: 1, plannedLogements: 300 },
        { kind: 'logements', financing: 'fonds-propres', phase: 'etudes', operations: 1, operationsEstimated: 1, plannedLogements: 40 },
      ],
    },
    urbaines: { terminees: 0, enTravaux: 1, byPhase: [{ kind: 'urbaine', financing: null, phase: 'travaux', operations: 1, operationsEstimated: 0, plannedLogements: 0 }] },
  },
  subsidies: {
    logementsCents: 141_000_005,
    logementsEur: '1410000.05',
    urbainesEtatRegion2021_2022Cents: 0,
    urbainesEtatRegion2021_2022Eur: '0.00',
    decided: { cents: 141_000_005, eur: '1410000.05' },
    paid: { cents: 30_000_099, eur: '300000.99' },
    estimated: { logementsCents: 96_000_000, urbainesEtatRegion2021_2022Cents: 0, decidedCents: 96_000_000, paidCents: 0 },
    byFinancer: [
      {
        financer: 'ETAT', label: 'État (aides à la pierre, fonds conjoint État-Région)', decided: { cents: 96_000_000, eur: '960000.00' }, paid: { cents: 30_000_099, eur: '300000.99' },
        decidedEstimated: { cents: 96_000_000, eur: '960000.00' }, paidEstimated: { cents: 0, eur: '0.00' },
      },
      {
        financer: 'REGION_HDF', label: 'Région Hauts-de-France', decided: { cents: 45_000_005, eur: '450000.05' }, paid: { cents: 0, eur: '0.00' },
        decidedEstimated: { cents: 0, eur: '0.00' }, paidEstimated: { cents: 0, eur: '0.00' },
      },
    ],
    byFinancerAxisDispositifYear: [
      {
        keys: { financer: 'ETAT', epci: 'CALL', axis: '1a', dispositif: 'aides-a-la-pierre', year: '2020' }, decidedCents: 96_000_000, paidCents: 30_000_099,
        decidedEstimatedCents: 96_000_000, paidEstimatedCents: 0, decidedEur: '960000.00', paidEur: '300000.99',
      },
      {
        keys: { financer: 'REGION_HDF', epci: 'CALL', axis: '1a', dispositif: 'fonds-conjoint-etat-region', year: '2021' }, decidedCents: 45_000_005, paidCents: 0,
        decidedEstimatedCents: 0, paidEstimatedCents: 0, decidedEur: '450000.05', paidEur: '0.00',
      },
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
    estimated: { logements: 50, logementsUnderGoal: 30, dpeBefore: { E: 20, F: 30 }, dpeAfter: { B: 30, C: 20 } },
  },
  names: {
    financer: { ETAT: 'État (aides à la pierre, fonds conjoint État-Région)', REGION_HDF: 'Région Hauts-de-France' },
    epci: { CALL: "Communauté d'agglomération de Lens-Liévin", CAD: 'Douaisis Agglo <Nord>' },
    axis: { '1a': 'Rénover les cités minières' },
  },
  byAxis: [
    { code: '1a', label: 'Rénover les cités minières', logementsDelivered: 135, subsidiesDecided: { cents: 142_000_000, eur: '1420000.00' }, subsidiesPaid: { cents: 77_000_000, eur: '770000.00' }, insertionHours: 0 },
    { code: '2e', label: "Agir par l'insertion et la formation", logementsDelivered: 0, subsidiesDecided: { cents: 0, eur: '0.00' }, subsidiesPaid: { cents: 0, eur: '0.00' }, insertionHours: 1750 },
  ],
};

export const BILAN_FIXTURE: BilanReport = { ...BASE, estimates: bilanEstimates(BASE) };
