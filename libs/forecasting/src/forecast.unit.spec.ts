import {
  type ForecastInput,
  type OperationProgress,
  type PipelineItem,
  addFractionalMonths,
  addMonths,
  forecast,
  lateOperations,
  monthsBetween,
  mulberry32,
  pipelineForecast,
  pipelineTotalAt,
  trendForecast,
  trendTotalAt,
} from './forecast';

/** 100 logements delivered on the 15th of every month from January 2018 up to asOf. */
function constantHistory(asOf: string, perMonth = 100): { on: string; logements: number }[] {
  const out: { on: string; logements: number }[] = [];
  for (let d = '2018-01-15'; d <= asOf; d = addMonths(d, 1)) out.push({ on: d, logements: perMonth });
  return out;
}

const base = (over: Partial<ForecastInput> = {}): ForecastInput => ({
  asOf: '2022-12-31',
  target: 23000,
  endDate: '2027-12-31',
  deliveries: constantHistory('2022-12-31'),
  pipeline: [],
  slippageDays: [],
  ...over,
});

const item = (operationId: string, remaining: number, plannedFrom: string | null, plannedTo: string | null): PipelineItem => ({ operationId, phase: 'travaux', remaining, plannedFrom, plannedTo });

describe('calendar arithmetic', () => {
  it('adds months keeping the end of the month and counts months exactly', () => {
    expect(addMonths('2022-12-31', 2)).toBe('2023-02-28');
    expect(addMonths('2023-02-28', 1)).toBe('2023-03-31');
    expect(addMonths('2022-01-15', -12)).toBe('2021-01-15');
    expect(monthsBetween('2022-12-31', '2027-12-31')).toBe(60);
    expect(monthsBetween('2022-12-31', '2023-01-31')).toBe(1);
    expect(addFractionalMonths('2022-12-31', 170)).toBe('2037-02-28');
    expect(addFractionalMonths('2023-01-01', 0.5)).toBe('2023-01-17'); // half of the 31 days of January, rounded up
  });
});

describe('trend: the rate of the last 12 months extrapolated', () => {
  it('a constant 100 logements a month since 2018 gives the exact date and the exact 2027 total', () => {
    const f = forecast(base());
    expect(f.delivered).toBe(6000); // 60 months × 100
    expect(f.currentRatePerMonth).toBe(100);
    expect(f.trend).toEqual({ method: 'trend', ratePerMonth: 100, targetReachedOn: '2037-02-28', expectedByEndDate: 12000 });
    // 17 000 still to deliver in 60 months.
    expect(f.requiredRatePerMonth).toBe(283.33);
    expect(f.gapPerMonth).toBe(183.33);
  });

  it('reaches a nearer target on the exact month and stays at asOf once the target is reached', () => {
    expect(trendForecast(base({ target: 8000 })).targetReachedOn).toBe('2024-08-31'); // 2 000 / 100 = 20 months
    expect(trendForecast(base({ target: 6000 })).targetReachedOn).toBe('2022-12-31');
    expect(trendTotalAt(base(), '2023-12-31')).toBe(7200);
  });

  it('has no date without deliveries in the last 12 months', () => {
    const f = trendForecast(base({ deliveries: [{ on: '2019-05-01', logements: 500 }] }));
    expect(f).toEqual({ method: 'trend', ratePerMonth: 0, targetReachedOn: null, expectedByEndDate: 500 });
  });
});

describe('pipeline: planned delivery dates shifted by the median slippage', () => {
  const pipeline = [item('a', 1000, null, '2024-06-30'), item('b', 16000, '2025-01-01', '2025-01-01')];

  it('with zero slippage, delivers each operation on its planned date', () => {
    const input = base({ pipeline, slippageDays: [0, 0, 0] });
    const p = pipelineForecast(input);
    expect(p).toMatchObject({ slippageDays: 0, operations: 2, remaining: 17000, targetReachedOn: '2025-01-01', expectedByEndDate: 23000 });
    expect(pipelineTotalAt(input, '2024-06-29')).toBe(6000);
    expect(pipelineTotalAt(input, '2024-06-30')).toBe(7000);
  });

  it('with a constant slippage of 45 days, shifts every date by exactly 45 days', () => {
    const input = base({ pipeline, slippageDays: [45, 45, 45, 45] });
    expect(pipelineForecast(input).targetReachedOn).toBe('2025-02-15');
    expect(pipelineTotalAt(input, '2024-08-13')).toBe(6000);
    expect(pipelineTotalAt(input, '2024-08-14')).toBe(7000);
  });

  it('uses the median of the observed slippages', () => {
    expect(pipelineForecast(base({ pipeline, slippageDays: [10, 300, 20, 0, 30] })).slippageDays).toBe(20);
  });

  it('spreads deliveries evenly between the planned livraisons and terminee dates', () => {
    const input = base({ pipeline: [item('c', 1000, '2023-01-01', '2023-01-10')], slippageDays: [0] });
    expect(pipelineTotalAt(input, '2023-01-05')).toBe(6500); // 5 of 10 days
    expect(pipelineTotalAt(input, '2023-01-10')).toBe(7000);
  });

  it('expects an overdue operation from the day after asOf', () => {
    const input = base({ pipeline: [item('late', 500, null, '2021-06-30')], slippageDays: [0] });
    expect(pipelineTotalAt(input, '2023-01-01')).toBe(6500);
    expect(pipelineForecast({ ...input, target: 6500 }).targetReachedOn).toBe('2023-01-01');
  });

  it('does not reach a target beyond the logements in the pipeline', () => {
    expect(pipelineForecast(base({ pipeline: [item('a', 1000, null, '2024-06-30')] })).targetReachedOn).toBeNull();
  });
});

describe('the seeded generator', () => {
  it('draws from a seeded uniform PRNG (mulberry32)', () => {
    const r = mulberry32(1);
    const xs = Array.from({ length: 1000 }, r);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(mulberry32(1)()).toBe(xs[0]);
    expect(Math.abs(xs.reduce((s, x) => s + x, 0) / 1000 - 0.5)).toBeLessThan(0.05);
  });
});

describe('late operations', () => {
  const op = (over: Partial<OperationProgress>): OperationProgress => ({
    operationId: 'op',
    title: 'Op',
    kind: 'logements',
    epciCode: 'CALL',
    bailleurCode: 'SIA_HABITAT',
    phase: 'travaux',
    status: 'active',
    phaseStartedOn: '2022-03-01',
    phasePlannedOn: '2022-03-01',
    nextPhase: 'livraisons',
    nextPlannedOn: '2023-06-01',
    ...over,
  });

  it('flags a phase started late and a next phase overdue, with days late', () => {
    const late = lateOperations(
      [
        op({ operationId: 'on-time' }),
        op({ operationId: 'started-late', phaseStartedOn: '2022-04-10' }),
        op({ operationId: 'overdue', nextPlannedOn: '2022-12-01' }),
        op({ operationId: 'done', phase: 'terminee', phaseStartedOn: '2022-06-01', nextPhase: null, nextPlannedOn: null }),
        op({ operationId: 'abandoned', status: 'abandonnee', nextPlannedOn: '2020-01-01' }),
      ],
      '2022-12-31',
      0,
    );
    expect(late.map((l) => [l.operationId, l.daysLate, l.flags.map((f) => f.reason)])).toEqual([
      ['started-late', 40, ['current-phase-started-late']],
      ['overdue', 30, ['next-phase-overdue']],
    ]);
  });

  it('leaves out delays within a quarter (90 days) by default', () => {
    const late = lateOperations(
      [
        op({ operationId: 'started-40-late', phaseStartedOn: '2022-04-10' }),
        op({ operationId: 'started-91-late', phaseStartedOn: '2022-05-31' }),
        op({ operationId: 'overdue-90', nextPlannedOn: '2022-10-02' }),
        op({ operationId: 'overdue-91', nextPlannedOn: '2022-10-01' }),
      ],
      '2022-12-31',
    );
    expect(late.map((l) => [l.operationId, l.daysLate])).toEqual([
      ['overdue-91', 91],
      ['started-91-late', 91],
    ]);
  });
});
