import { addDays, revisePlan } from './forecast';
import { type OperationFacts, type SimulationForecast, type SimulationInput, observedHistory, simulate, yearEnds } from './simulation';
import { assumptionsOf, frInt, summarySentence } from './summary';

/**
 * A synthetic programme: one operation programmed every 73 days from 2017-06-01, `size` logements each
 * (60, 120, 180, 240, 300 in turn); each phase lasts 150 days more a few days per operation (programmation, études,
 * AVP, autorisation, travaux), then deliveries of 10 logements every 30 days. Planned phases 120 days each.
 * Everything is cut at asOf, like the queries do.
 */
function programme(asOf: string, opts: { abandonEvery?: number } = {}): SimulationInput {
  const phases = ['programmation', 'etudes', 'avp', 'autorisation', 'travaux', 'livraisons'];
  const operations: OperationFacts[] = [];
  const deliveries: { on: string; logements: number }[] = [];
  for (let k = 0; addDays('2017-06-01', 73 * k) <= asOf; k++) {
    const programmedOn = addDays('2017-06-01', 73 * k);
    const size = 60 * ((k % 5) + 1);
    const starts = phases.map((phase, i) => ({ phase, on: addDays(programmedOn, i * (150 + (k % 7) * 9)) }));
    const plan = Object.fromEntries(phases.slice(1).map((p, i) => [p, addDays(programmedOn, (i + 1) * 120)]));
    const dels: { on: string; logements: number }[] = [];
    const from = starts[5].on;
    for (let d = 0; d * 10 < size; d++) if (addDays(from, 30 * d) <= asOf) dels.push({ on: addDays(from, 30 * d), logements: 10 });
    const abandoned = opts.abandonEvery && k % opts.abandonEvery === 3 && starts[2].on <= asOf ? starts[2].on : null;
    operations.push({
      operationId: `op-${k}`,
      title: `Opération ${k}`,
      epciCode: k % 2 ? 'CALL' : 'CAHC',
      bailleurCode: 'SIA_HABITAT',
      programmedOn,
      plannedLogements: size,
      phases: starts.filter((s) => s.on <= asOf && (!abandoned || s.on <= abandoned)),
      suspensions: k === 4 ? [{ from: addDays(programmedOn, 100), to: addDays(programmedOn, 155) }].filter((s) => s.from <= asOf) : [],
      abandonedOn: abandoned,
      plan,
      deliveries: abandoned ? [] : dels,
    });
    if (!abandoned) deliveries.push(...dels);
  }
  return { asOf, target: 23000, endDate: '2027-12-31', programmeStart: '2017-03-07', deliveries, operations };
}

describe('the headline simulation', () => {
  const input = programme('2022-12-31', { abandonEvery: 10 });

  it('gives the same answer for the same input and seed, another for another seed', () => {
    const a = simulate(input, { seed: 42, runs: 300 });
    expect(simulate(input, { seed: 42, runs: 300 })).toEqual(a);
    expect(simulate(input, { seed: 43, runs: 300 }).horizon).not.toEqual(a.horizon);
  });

  it('gives P10 ≤ P50 ≤ P90 at every year-end to the end date, an interval of non-zero width, never below what is delivered', () => {
    const s = simulate(input, { runs: 500 });
    expect(s.horizon.map((p) => p.date)).toEqual(['2023-12-31', '2024-12-31', '2025-12-31', '2026-12-31', '2027-12-31']);
    for (const p of s.horizon) {
      expect(p.p10).toBeLessThanOrEqual(p.p50);
      expect(p.p50).toBeLessThanOrEqual(p.p90);
      expect(p.p10).toBeGreaterThanOrEqual(s.delivered);
    }
    const end = s.horizon.at(-1)!;
    expect(end.p90 - end.p10).toBeGreaterThan(0);
    // The trajectory does not go down from one year-end to the next.
    for (let i = 1; i < s.horizon.length; i++) expect(s.horizon[i].p50).toBeGreaterThanOrEqual(s.horizon[i - 1].p50);
  });

  it('starts from the logements delivered on asOf and states asOf, runs and seed', () => {
    const s = simulate(input, { runs: 100, seed: 9 });
    expect(s).toMatchObject({ method: 'simulation', asOf: '2022-12-31', runs: 100, seed: 9, delivered: input.deliveries.reduce((t, d) => t + d.logements, 0) });
  });

  it('answers the target date as the day reached, or null « pas avant » the last date searched', () => {
    const reachable = simulate({ ...input, target: input.deliveries.reduce((t, d) => t + d.logements, 0) + 100 }, { runs: 200 });
    expect(reachable.targetReachedOn.p50! > '2022-12-31').toBe(true);
    expect(reachable.targetReachedOn.p10! <= reachable.targetReachedOn.p50!).toBe(true);
    const far = simulate({ ...input, target: 10_000_000 }, { runs: 100 });
    expect(far.targetReachedOn).toEqual({ p10: null, p50: null, p90: null });
    expect(far.searchedUpTo).toBe('2032-12-31');
    expect(far.probabilityByEndDate).toBe(0);
    const done = simulate({ ...input, target: 100 }, { runs: 100 });
    expect(done.targetReachedOn).toEqual({ p10: '2022-12-31', p50: '2022-12-31', p90: '2022-12-31' });
  });

  it('moves with the scenarios: faster programming and less slippage deliver more by the end date', () => {
    const base = simulate(input, { runs: 400 }).horizon.at(-1)!;
    const faster = simulate(input, { runs: 400, programmingPace: 1 }).horizon.at(-1)!;
    const lessSlip = simulate(input, { runs: 400, slippageFactor: 0 }).horizon.at(-1)!;
    expect(faster.p50).toBeGreaterThan(base.p50);
    expect(lessSlip.p50).toBeGreaterThanOrEqual(base.p50);
  });

  it('uses only the past: an operation not yet programmed on asOf is not in the history', () => {
    const early = programme('2019-12-31');
    const h = observedHistory(early);
    expect(early.operations.every((o) => o.programmedOn <= '2019-12-31')).toBe(true);
    expect(Object.values(h.phaseDurations).flat().every((d) => d > 0)).toBe(true);
    expect(simulate(early, { runs: 100 }).horizon[0].date).toBe('2020-12-31');
  });
});

describe('the observed history', () => {
  it('measures phase durations, planned durations, delivery pace, programming per 12 months, suspensions and abandonments', () => {
    const op: OperationFacts = {
      operationId: 'a',
      title: 'A',
      epciCode: 'CALL',
      bailleurCode: null,
      programmedOn: '2020-01-01',
      plannedLogements: 40,
      phases: [
        { phase: 'programmation', on: '2020-01-01' },
        { phase: 'etudes', on: '2020-03-01' },
        { phase: 'travaux', on: '2020-06-01' },
        { phase: 'livraisons', on: '2021-01-01' },
      ],
      suspensions: [{ from: '2020-07-01', to: '2020-08-01' }],
      abandonedOn: null,
      plan: { etudes: '2020-02-01', travaux: '2020-05-01', livraisons: '2020-12-01' },
      deliveries: [
        { on: '2021-01-01', logements: 20 },
        { on: '2021-03-02', logements: 20 },
      ],
    };
    const h = observedHistory({ asOf: '2021-12-31', target: null, endDate: '2027-12-31', programmeStart: '2020-01-01', deliveries: op.deliveries, operations: [op] });
    // 2020-01-01 → 03-01: 60 days; 03-01 → 06-01 (avp, autorisation skipped): 92; 06-01 → 2021-01-01: 214.
    expect(h.phaseDurations).toEqual({ programmation: [60], etudes: [92], avp: [], autorisation: [], travaux: [214] });
    expect(h.plannedDurations).toMatchObject({ programmation: 31, etudes: 90, travaux: 214 });
    // 60 days from the first batch for the 20 logements after it: 3 days per logement, size class < 100.
    expect(h.deliveryPace).toEqual([[3], [], []]);
    // Fewer than 5 phases ended in any year: no year effect.
    expect(h.yearFactors).toEqual([]);
    expect(h.programmedPerYear).toEqual([0, 40]);
    expect(h).toMatchObject({ suspensions: 1, suspensionDays: [31], abandonments: 0, operationYears: 1 });
  });
});

describe('plan revisions', () => {
  it('move the later phases by the same days', () => {
    const plan = { travaux: '2020-01-01', livraisons: '2020-09-01', terminee: '2021-06-01', etudes: '2019-01-01' };
    expect(revisePlan(plan, 'travaux', '2020-03-01')).toEqual({ etudes: '2019-01-01', travaux: '2020-03-01', livraisons: '2020-10-31', terminee: '2021-07-31' });
    expect(revisePlan({}, 'travaux', '2020-03-01')).toEqual({ travaux: '2020-03-01' });
  });
});

describe('the French summary', () => {
  const sim: SimulationForecast = {
    method: 'simulation',
    asOf: '2022-12-31',
    runs: 2000,
    seed: 20170307,
    scenario: { programmingPace: 0, slippageFactor: 1 },
    delivered: 8245,
    horizon: [
      { date: '2026-12-31', p10: 12000, p50: 13000, p90: 14100 },
      { date: '2027-12-31', p10: 13900, p50: 15200, p90: 16800 },
    ],
    at: [],
    targetReachedOn: { p10: '2030-06-02', p50: '2031-03-14', p90: null },
    searchedUpTo: '2032-12-31',
    probabilityByEndDate: 0,
    fromNewOperationsP50: 3500,
  };

  it('tells the end-date figure, its P10–P90 and the median date of the target', () => {
    expect(summarySentence(sim, 23000, '2027-12-31')).toBe('Au rythme observé, 15 200 logements livrés fin 2027 (P10–P90 : 13 900 – 16 800) ; objectif de 23 000 atteint en mars 2031 (médiane)');
    expect(summarySentence({ ...sim, targetReachedOn: { p10: null, p50: null, p90: null } }, 23000, '2027-12-31')).toBe(
      'Au rythme observé, 15 200 logements livrés fin 2027 (P10–P90 : 13 900 – 16 800) ; objectif de 23 000 pas atteint avant fin 2032 (médiane)',
    );
    expect(summarySentence(sim, null, '2027-12-31')).toBe('Au rythme observé, 15 200 logements livrés fin 2027 (P10–P90 : 13 900 – 16 800)');
    expect(frInt(1234567)).toBe('1 234 567');
  });

  it('writes the assumptions out, with the knowledge time, the checkpoint and the baseline', () => {
    const h = observedHistory(programme('2022-12-31'));
    const a = assumptionsOf(h, sim, {
      knownAt: '2023-01-31T00:00:00.000Z',
      checkpoint: '17020/2161',
      endDate: '2027-12-31',
      target: 23000,
      trend: { method: 'trend', ratePerMonth: 174.92, targetReachedOn: '2030-01-11', expectedByEndDate: 18740 },
    });
    expect(a[0]).toBe('Données au 31/12/2022, telles que connues le 2023-01-31T00:00:00.000Z (checkpoint 17020/2161) ; 8 245 logements livrés à cette date.');
    expect(a.at(-1)).toBe('Référence : tendance linéaire des 12 derniers mois (174,92 logements par mois) : 18 740 logements fin 2027, objectif atteint en janvier 2030.');
    expect(a.some((x) => x.startsWith('Logements non encore programmés'))).toBe(true);
  });

  it('lists the year-ends to the end date', () => {
    expect(yearEnds('2022-06-30', '2024-12-31')).toEqual(['2022-12-31', '2023-12-31', '2024-12-31']);
    expect(yearEnds('2022-12-31', '2024-06-30')).toEqual(['2023-12-31', '2024-06-30']);
  });
});
