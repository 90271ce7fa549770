import { figureLink, figureSpec } from './figures';

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
});
