import { axisTable } from './bilan';

describe('the bilan table by axis', () => {
  const labels = new Map([
    ['1a', 'Rénover les cités minières'],
    ['2e', "Agir par l'insertion et la formation"],
  ]);

  it('given deliveries, subsidies and insertion, when tabled, then one row per axis in code order with French labels and insertion on 2e', () => {
    const rows = axisTable(
      [{ key: '1a', label: '1a', delivered: 120 }],
      [
        { keys: { axis: '1a' }, decidedCents: 1_000_00, paidCents: 400_00 },
        { keys: { axis: '1a' }, decidedCents: 500_00, paidCents: 0 },
        { keys: { axis: '1c' }, decidedCents: 250_00, paidCents: 250_00 },
      ],
      3_000,
      labels,
    );
    expect(rows).toEqual([
      { code: '1a', label: 'Rénover les cités minières', logementsDelivered: 120, subsidiesDecided: { cents: 1_500_00, eur: '1500.00' }, subsidiesPaid: { cents: 400_00, eur: '400.00' }, insertionHours: 0 },
      { code: '1c', label: '1c', logementsDelivered: 0, subsidiesDecided: { cents: 250_00, eur: '250.00' }, subsidiesPaid: { cents: 250_00, eur: '250.00' }, insertionHours: 0 },
      { code: '2e', label: "Agir par l'insertion et la formation", logementsDelivered: 0, subsidiesDecided: { cents: 0, eur: '0.00' }, subsidiesPaid: { cents: 0, eur: '0.00' }, insertionHours: 3_000 },
    ]);
  });

  it('given nothing recorded, when tabled, then no rows', () => {
    expect(axisTable([], [], 0, labels)).toEqual([]);
  });
});
