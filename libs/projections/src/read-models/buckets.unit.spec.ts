import fc from 'fast-check';
import { type MonthPoint, cornerDifference, joinPoints, minimalPoints, staircase } from './buckets';

/** Months 2020-01 … 2021-12 as `YYYY-MM-01`. */
const month = fc.integer({ min: 0, max: 23 }).map((i) => `${2020 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`);
const point = fc.tuple(month, month).map((p): MonthPoint => p);
const leq = (p: MonthPoint, q: MonthPoint) => p[0] <= q[0] && p[1] <= q[1];
const reached = (points: readonly MonthPoint[], q: MonthPoint) => (points.some((p) => leq(p, q)) ? 1 : 0);
const sumAt = (corners: Iterable<{ point: MonthPoint; sign: number }>, q: MonthPoint) => [...corners].reduce((s, c) => s + (leq(c.point, q) ? c.sign : 0), 0);

describe('staircase corners of the financer roll-up', () => {
  it('add up to "some point is reached" for every (month, knowledge month)', () => {
    fc.assert(
      fc.property(fc.array(point, { maxLength: 6 }), point, (points, q) => {
        expect(sumAt(staircase(points).values(), q)).toBe(reached(points, q));
      }),
      { numRuns: 2000 },
    );
  });

  it('differ by what a new point adds, and a dominated point adds nothing', () => {
    fc.assert(
      fc.property(fc.array(point, { maxLength: 5 }), point, point, (points, added, q) => {
        const before = minimalPoints(points);
        const after = minimalPoints([...before, added]);
        expect(sumAt(cornerDifference(staircase(after), staircase(before)), q)).toBe(reached(after, q) - reached(before, q));
        if (before.some((p) => leq(p, added))) expect(after).toEqual(before);
      }),
      { numRuns: 2000 },
    );
  });

  it('keep the minimal points sorted by business month, knowledge month descending', () => {
    const points: MonthPoint[] = [['2021-03-01', '2021-01-01'], ['2020-05-01', '2021-06-01'], ['2021-04-01', '2021-02-01'], ['2020-05-01', '2021-06-01'], ['2022-01-01', '2020-12-01']];
    expect(minimalPoints(points)).toEqual([['2020-05-01', '2021-06-01'], ['2021-03-01', '2021-01-01'], ['2022-01-01', '2020-12-01']]);
    expect(joinPoints(['2020-05-01', '2021-06-01'], ['2021-03-01', '2021-01-01'])).toEqual(['2021-03-01', '2021-06-01']);
  });
});
