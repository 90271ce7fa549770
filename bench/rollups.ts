import { isDeepStrictEqual } from 'node:util';
import { PostgresEventStore } from '@erbm/event-store';
import {
  type AsOf,
  type Sql,
  bilanInsertion,
  bilanSubsidies,
  deliveredBy,
  operationsByPhase,
  deliveredTimeline,
  deliveredWithFinancer,
  deliveredTotal,
  deliveryFigures,
  energyResults,
  insertionStats,
  rollups,
  subsidies,
} from '@erbm/reporting';
import { ProjectionRunner, bilanProjection, identityProjection, openDatabase } from '@erbm/projections';
import { type Row, config, fmt, msSince, percentile, writeResult } from './common';
import { ensureHistory } from './history';

/**
 * Roll-up answers against ledger scans (`BENCH_ONLY=rollups`, or `node -r ./tools/register.js bench/rollups.ts`):
 * over the bench history (`BENCH_EVENTS`, `BENCH_DATABASE_URL`; the bilan projection is caught up first), each
 * answer is computed `BENCH_ROLLUP_RUNS` times (default 15) from the ledgers (`queries/*.queries.ts`) and from the
 * roll-ups (`rollups.*`), alternately, for three (asOf, knownAt) cases; medians, and a check that both give the same
 * result. Also the rows of each ledger and roll-up table.
 */

const RUNS = Number(process.env.BENCH_ROLLUP_RUNS ?? 15);

const CASES: { name: string; q: AsOf }[] = [
  { name: 'as of 2022-12-31, now', q: { asOf: '2022-12-31' } },
  { name: 'as of 2022-12-15, now', q: { asOf: '2022-12-15' } },
  { name: 'as of 2022-12-31, known at 2023-01-16', q: { asOf: '2022-12-31', knownAt: '2023-01-16T00:00:00Z' } },
];

type Answer = (db: Sql, q: AsOf) => Promise<unknown>;
const ANSWERS: [name: string, ledger: Answer, rollup: Answer][] = [
  ['deliveredTotal', (db, q) => deliveredTotal(db, q), (db, q) => rollups.deliveredTotal(db, q)],
  ['deliveredBy epci', (db, q) => deliveredBy(db, q, 'epci'), (db, q) => rollups.deliveredBy(db, q, 'epci')],
  ['deliveredBy financer', (db, q) => deliveredBy(db, q, 'financer'), (db, q) => rollups.deliveredBy(db, q, 'financer')],
  ['deliveredWithFinancer', (db, q) => deliveredWithFinancer(db, q), (db, q) => rollups.deliveredWithFinancer(db, q)],
  ['deliveredTimeline', (db, q) => deliveredTimeline(db, q), (db, q) => rollups.deliveredTimeline(db, q)],
  ['energyResults', (db, q) => energyResults(db, q, 130), (db, q) => rollups.energyResults(db, q, 130)],
  ['deliveryFigures (bilan)', (db, q) => deliveryFigures(db, q, 130), (db, q) => rollups.deliveryFigures(db, q, 130)],
  ['subsidies by financer × year', (db, q) => subsidies(db, q, ['financer', 'year']), (db, q) => rollups.subsidies(db, q, ['financer', 'year'])],
  ['bilanSubsidies (bilan)', (db, q) => bilanSubsidies(db, q), (db, q) => rollups.bilanSubsidies(db, q)],
  ['insertionStats by epci', (db, q) => insertionStats(db, q, ['epci']), (db, q) => rollups.insertionStats(db, q, ['epci'])],
  ['bilanInsertion (bilan)', (db, q) => bilanInsertion(db, q), (db, q) => rollups.bilanInsertion(db, q)],
  ['operationsByPhase (bilan)', (db, q) => operationsByPhase(db, q), (db, q) => rollups.operationsByPhase(db, q)],
];

const TABLES = [
  'rm_delivery_ledger', 'rm_delivery_rollup', 'rm_delivery_dpe_rollup', 'rm_operation_delivery_rollup', 'rm_grant_ledger', 'rm_grant_rollup', 'rm_insertion_ledger',
  'rm_insertion_rollup', 'rm_financer_delivery_rollup', 'rm_operation_step', 'rm_operation_phase_rollup',
];

export async function benchRollups(url = config.databaseUrl, events = config.events, resultName = `rollups-${events}`): Promise<void> {
  await ensureHistory(url, events, config.fresh);
  const db = await openDatabase(url);
  const store = new PostgresEventStore({ connection: url });
  try {
    const runners = [bilanProjection, identityProjection].map((p) => new ProjectionRunner(db, store, p));
    for (const r of runners) await r.prepare();
    await ProjectionRunner.catchUpTogether(runners);
    await db.query(`VACUUM ANALYZE ${TABLES.join(', ')}`);
    const sizes: Record<string, number> = {};
    for (const t of TABLES) sizes[t] = Number((await db.query<{ n: string }[]>(`SELECT count(*) AS n FROM ${t}`))[0].n);
    console.log(`  rows: ${TABLES.map((t) => `${t} ${fmt(sizes[t])}`).join(', ')}`);
    const rows: Row[] = [];
    const figures: Record<string, unknown>[] = [];
    for (const c of CASES) {
      for (const [name, fromLedger, fromRollup] of ANSWERS) {
        const times = { ledger: [] as number[], rollup: [] as number[] };
        let same = true;
        for (let i = 0; i < RUNS; i++) {
          const t0 = process.hrtime.bigint();
          const a = await fromLedger(db, c.q);
          times.ledger.push(msSince(t0));
          const t1 = process.hrtime.bigint();
          const b = await fromRollup(db, c.q);
          times.rollup.push(msSince(t1));
          same &&= isDeepStrictEqual(a, b);
        }
        const ledgerMs = percentile(times.ledger, 50);
        const rollupMs = percentile(times.rollup, 50);
        figures.push({ case: c.name, answer: name, ledgerMedianMs: ledgerMs, rollupMedianMs: rollupMs, same });
        rows.push({
          benchmark: 'rollups', scenario: `${name}, ${c.name}, ${fmt(events)} events`, result: `median ${rollupMs.toFixed(1)} ms${same ? '' : ' (DIFFERENT RESULT)'}`,
          baseline: `${ledgerMs.toFixed(1)} ms ledger scan`, ratio: (ledgerMs / rollupMs).toFixed(1), target: 'same result', met: same,
        });
      }
    }
    await writeResult(resultName, rows, { events, runs: RUNS, tableRows: sizes, answers: figures });
  } finally {
    await store.close();
    await db.destroy();
  }
}

if (require.main === module) {
  benchRollups(config.databaseUrl, config.events, process.env.BENCH_RESULT_NAME).catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
