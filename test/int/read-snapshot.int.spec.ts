import { PostgresEventStore, START, parseCheckpoint } from '@erbm/event-store';
import { type BilanReport, type ProjectionCheckpoint, buildBilan, readCheckpoint, readSnapshot } from '@erbm/reporting';
import { ProjectionRunner, bilanProjection, openDatabase } from '@erbm/projections';
import { freshDatabase } from '@erbm/test-support';
import { Client } from 'pg';
import { type DataSource } from 'typeorm';
// The benchmark's history generator (bench/ is scripts, not an Nx project: no alias to import it by).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { generateHistory } from '../../bench/generate';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { insertEvents } from '../../bench/history';

const EVENTS = 12_000;
const BATCH = 150;
/** Every fact of the generated history (2017–2026) is on or before this date. */
const Q = { asOf: '2099-12-31' };

const sum = (values: number[]) => values.reduce((s, v) => s + v, 0);

/** What one answer read: the bilan, the checkpoint read first in its snapshot and the one read again at its end. */
interface Answer {
  checkpoint: ProjectionCheckpoint;
  atEnd: ProjectionCheckpoint;
  bilan: BilanReport;
}

/**
 * One snapshot per answer (issue #9, ADR 0004): bilans asked for while the projection commits small batches are
 * each internally consistent, and each reflects exactly one projection checkpoint: its figures from different
 * ledgers (three queries) are those of the ledger rows the projection had written at that checkpoint.
 */
describe('read snapshots while the projection commits batches', () => {
  let db: DataSource;
  let store: PostgresEventStore;
  const answers: Answer[] = [];

  beforeAll(async () => {
    const url = await freshDatabase('erbm_test_read_snapshot');
    db = await openDatabase(url);
    store = new PostgresEventStore({ connection: url });
    const c = new Client({ connectionString: url });
    await c.connect();
    try {
      const events = [...generateHistory(EVENTS)];
      for (let i = 0; i < events.length; i += 5000) await insertEvents(c, events.slice(i, i + 5000));
    } finally {
      await c.end();
    }
    const runner = new ProjectionRunner(db, store, bilanProjection, BATCH);
    await runner.prepare();

    // Given a projection committing batches of 150 events, when bilans are asked for meanwhile (each in one snapshot)…
    let projecting = true;
    // Until every event is applied: on a server shared with other work the gap-safe log read can lag for a moment
    // (ADR 0002) and give an empty batch before the end.
    const project = (async () => {
      try {
        for (let applied = 0, idle = 0; applied < EVENTS && idle < 600; ) {
          const n = await runner.runBatch();
          applied += n;
          idle = n ? 0 : idle + 1;
          await new Promise((resolve) => setTimeout(resolve, n ? 0 : 50));
        }
      } finally {
        projecting = false;
      }
    })();
    const read = (async () => {
      while (projecting) {
        const { checkpoint, value } = await readSnapshot(db, async (tx) => ({ bilan: await buildBilan(tx, Q), atEnd: await readCheckpoint(tx) }));
        answers.push({ checkpoint, ...value });
      }
    })();
    await Promise.all([project, read]);
  }, 300_000);

  afterAll(async () => {
    await store.close();
    await db.destroy();
  });

  it('answered at many checkpoints while the projection moved', () => {
    const positions = new Set(answers.map((a) => a.checkpoint.position));
    expect(positions.size).toBeGreaterThanOrEqual(3);
    expect(answers.every((a) => a.checkpoint.projection === 'bilan' && a.checkpoint.version === bilanProjection.version)).toBe(true);
  });

  it('reads one checkpoint per answer: the checkpoint does not move within a snapshot', () => {
    expect(answers.filter((a) => a.atEnd.position !== a.checkpoint.position)).toEqual([]);
  });

  it('gives answers whose parts sum to their totals', () => {
    const broken: string[] = [];
    for (const { checkpoint, bilan: b } of answers) {
      const l = b.logements;
      const checks: [string, number, number][] = [
        ['byEpci', sum(l.byEpci.map((g) => g.delivered)), l.delivered],
        ['byBailleur', sum(l.byBailleur.map((g) => g.delivered)), l.delivered],
        ['byCite', sum(l.byCite.map((g) => g.delivered)), l.delivered],
        ['byAxis', sum(l.byAxis.map((g) => g.delivered)), l.delivered],
        ['byFinancing', sum(l.byFinancing.map((g) => g.delivered)), l.delivered],
        ['byYear', sum(l.byYear.map((g) => g.delivered)), l.delivered],
        ['timeline', l.timeline.at(-1)?.cumulative ?? 0, l.delivered],
        ['energy', b.energy.logements, l.delivered],
        ['subsidies.byFinancer.decided', sum(b.subsidies.byFinancer.map((f) => f.decided.cents)), b.subsidies.decided.cents],
        ['subsidies.byFinancer.paid', sum(b.subsidies.byFinancer.map((f) => f.paid.cents)), b.subsidies.paid.cents],
        ['subsidies.detail.decided', sum(b.subsidies.byFinancerAxisDispositifYear.map((r) => r.decidedCents)), b.subsidies.decided.cents],
        ['insertion.byEpci', sum(b.insertion.byEpci.map((r) => r.hours)), b.insertion.programmeHours],
        ['insertion.byYear', sum(b.insertion.byYear.map((r) => r.hours)), b.insertion.programmeHours],
      ];
      for (const [name, parts, total] of checks) if (parts !== total) broken.push(`${checkpoint.position} ${name}: ${parts} ≠ ${total}`);
    }
    expect(broken).toEqual([]);
  });

  it('reflects exactly its checkpoint in every ledger: the figures of three queries are those of the same log position', async () => {
    // Ledger rows are append-only and keyed by the event's global position: the rows written by the checkpoint
    // (`<xid>/<global position>`, events inserted in order) are those at or before its global position.
    const upTo = async (sql: string, position: string) => Number((await db.query<{ n: string }[]>(sql, [position]))[0].n);
    const mismatches: string[] = [];
    const seen = new Set<string>();
    for (const { checkpoint, bilan: b } of answers) {
      if (seen.has(checkpoint.position)) continue;
      seen.add(checkpoint.position);
      const gp = checkpoint.position === START ? '0' : String(parseCheckpoint(checkpoint.position)[1]);
      const expected = {
        delivered: await upTo('SELECT COALESCE(SUM(logements),0) AS n FROM rm_delivery_ledger WHERE global_position <= $1', gp),
        decided: await upTo('SELECT COALESCE(SUM(decided_cents),0) AS n FROM rm_grant_ledger WHERE global_position <= $1', gp),
        hours: await upTo('SELECT COALESCE(SUM(hours),0) AS n FROM rm_insertion_ledger WHERE global_position <= $1', gp),
      };
      const actual = { delivered: b.logements.delivered, decided: b.subsidies.decided.cents, hours: b.insertion.programmeHours };
      if (JSON.stringify(actual) !== JSON.stringify(expected)) mismatches.push(`${checkpoint.position}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(expected)}`);
    }
    expect(seen.size).toBeGreaterThanOrEqual(3);
    expect(mismatches).toEqual([]);
  });

  it('answers the whole history once the projection caught up', async () => {
    const { checkpoint, value } = await readSnapshot(db, (tx) => buildBilan(tx, Q));
    expect(checkpoint.position).toBe(await new ProjectionRunner(db, store, bilanProjection).checkpoint());
    expect(value.logements.delivered).toBeGreaterThan(0);
    expect(value.subsidies.decided.cents).toBeGreaterThan(0);
  });
});
