import { figureOf } from '../bilan/published';
import { BILAN_FIXTURE as R } from '../testing/bilan.fixture';
import { bilanFigureKeys, bilanFigureValue, figureDefinition, figureLink, figureSpec } from './catalogue';

describe('figure keys', () => {
  it('names the ledger and unit of every figure of the bilan', () => {
    expect(figureSpec('logements.delivered')).toMatchObject({ ledger: 'delivery', unit: 'logements' });
    expect(figureSpec('logements.byEpci.CALL')).toMatchObject({ ledger: 'delivery', unit: 'logements' });
    expect(figureSpec('logements.byCite.cite.with.dots')).toMatchObject({ ledger: 'delivery' });
    expect(figureSpec('operations.urbaines.enTravaux')).toMatchObject({ ledger: 'step', unit: 'operations' });
    expect(figureSpec('subsidies.logementsEur')).toMatchObject({ ledger: 'grant', unit: 'cents' });
    expect(figureSpec('subsidies.byFinancer.REGION_HDF.paid')).toMatchObject({ ledger: 'grant', contribution: 'l.paid_cents' });
    expect(figureSpec('insertion.byYear.2021.hours')).toMatchObject({ ledger: 'insertion', unit: 'hours' });
    expect(figureSpec('energy.averageAfterKwhPerM2Year')).toMatchObject({ unit: 'kWhEP/m².an', average: { value: 'l.energy_after_kwh' } });
    expect(figureSpec('energy.dpeAfter.B')).toMatchObject({ ledger: 'delivery' });
  });

  it('knows no other key', () => {
    for (const key of ['', 'logements', 'logements.byNothing.X', 'logements.delivered.x', 'operations.logements', 'operations.logements.x', 'subsidies.byFinancer.ETAT', 'insertion.byEpci.CALL', 'energy.x', 'x.y.z']) {
      expect({ key, spec: figureSpec(key) }).toEqual({ key, spec: null });
    }
  });

  it('links a figure with its asOf and knownAt', () => {
    expect(figureLink('subsidies.byFinancer.ETAT.decided', { asOf: '2022-12-31' })).toBe('/reports/bilan/figures/subsidies.byFinancer.ETAT.decided/events?asOf=2022-12-31');
    expect(figureLink('logements.byCite.cité 1', { asOf: '2022-12-31', knownAt: '2023-01-16T00:00:00.000Z' })).toBe(
      '/reports/bilan/figures/logements.byCite.cit%C3%A9%201/events?asOf=2022-12-31&knownAt=2023-01-16T00%3A00%3A00.000Z',
    );
  });

  it('lists every figure of a report once, each with a drill-down, a label and its value in the report', () => {
    const keys = bilanFigureKeys(R);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual(expect.arrayContaining(['logements.byEpci.CAD', 'subsidies.byFinancer.REGION_HDF.paid', 'insertion.logementsRsa']));
    for (const key of keys) {
      const spec = figureSpec(key);
      expect({ key, drillable: spec !== null, labelled: (spec?.label ?? '').length > 0, value: typeof bilanFigureValue(R, key) }).toEqual({ key, drillable: true, labelled: true, value: 'number' });
    }
  });

  it('reads a figure where its source says, in its unit', () => {
    expect(bilanFigureValue(R, 'logements.byEpci.CAD')).toBe(R.logements.byEpci.find((g) => g.key === 'CAD')?.delivered);
    expect(bilanFigureValue(R, 'subsidies.byFinancer.REGION_HDF.decided')).toBe(R.subsidies.byFinancer[1].decided.cents);
    expect(bilanFigureValue(R, 'subsidies.logementsEur')).toBe(R.subsidies.logementsCents);
    expect(bilanFigureValue(R, 'logements.byEpci.NOWHERE')).toBe(0);
    expect(figureDefinition('subsidies.paid')).toMatchObject({ unit: 'cents', source: 'subsidies.paid.cents' });
  });

  it('gives the published comparison the same figures, money in whole euros, and the target that has no drill-down', () => {
    expect(figureOf(R, 'subsidies.logementsEur')).toBe(Math.trunc(R.subsidies.logementsCents / 100));
    expect(figureOf(R, 'insertion.programmeParticipantsDeld')).toBe(R.insertion.programmeParticipantsDeld);
    expect(figureOf(R, 'operations.urbaines.enTravaux')).toBe(R.operations.urbaines.enTravaux);
    expect(figureOf(R, 'logements.target')).toBe(R.logements.target);
    expect(figureSpec('logements.target')).toBeNull();
    expect(figureOf(R, 'logements.unknown')).toBeNull();
  });
});
