import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommandExecutor, parseImportLines } from '@erbm/application';
import { PostgresEventStore, START } from '@erbm/event-store';
import {
  axisLabels,
  axisTable,
  type AsOf,
  type BilanReport,
  type ReadScope,
  buildBilan,
  centsToEur,
  deliveredBy,
  deliveredTimeline,
  deliveredWithFinancer,
  deliveredTotal,
  energyResults,
  insertionStats,
  operationsByPhase,
  subsidies,
  targetAsOf,
} from '@erbm/reporting';
import {
  BILAN_TABLES,
  type Projection,
  ProjectionRunner,
  bilanProjection,
  openDatabase,
} from '@erbm/projections';
import { systemClock } from '@erbm/shared';
import { mulberry32 } from '@erbm/forecasting';
import { freshDatabase, logReadable } from '@erbm/test-support';
import { Client } from 'pg';
import { type DataSource } from 'typeorm';
// The benchmark's history generator (bench/ is scripts, not an Nx project: no alias to import it by).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { generateHistory } from '../../bench/generate';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { insertEvents } from '../../bench/history';

const ROOT = join(__dirname, '../..');

/**
 * Performance work must not change a figure.
 *
 * The set-based batch path of the bilan projection (`applyBatch`) gives exactly the rows of the per-event path
 * (`apply`), whatever the batch boundaries: within one batch, events see the effects of earlier events of the batch
 * (operations programmed then delivered, grants decided then paid, amended and cancelled, declarations corrected).
 */
describe('bilan projection and report: the fast paths give the same results', () => {
  let db: DataSource;
  let store: PostgresEventStore;
  const perEvent: Projection = { ...bilanProjection, apply: (m, e) => bilanProjection.apply(m, e) };

  /** Every row of every bilan table, as sorted JSON lines per table. */
  const dump = async (): Promise<Record<string, string[]>> => {
    const out: Record<string, string[]> = {};
    for (const t of BILAN_TABLES) out[t] = ((await db.query(`SELECT to_jsonb(t)::text AS r FROM ${t} t`)) as { r: string }[]).map((x) => x.r).sort();
    return out;
  };
  const rebuild = async (p: Projection, batchSize: number) => {
    await db.query(`TRUNCATE ${BILAN_TABLES.join(', ')}`);
    await db.query(`UPDATE rm_projection_checkpoint SET checkpoint = $1, events = 0 WHERE name = 'bilan'`, [START]);
    return new ProjectionRunner(db, store, p, batchSize).catchUp();
  };

  beforeAll(async () => {
    const url = await freshDatabase('erbm_test_batch_projection');
    db = await openDatabase(url);
    store = new PostgresEventStore({ connection: url });
    const ex = new CommandExecutor(store, systemClock);
    const lines = parseImportLines(readFileSync(join(ROOT, 'data/erbm/erbm-2017-2022.jsonl'), 'utf8'), 'import', 'batch-projection-test');
    for (const l of lines) if (!('error' in l)) await ex.execute(l.envelope);
    await logReadable(db);
    await new ProjectionRunner(db, store, bilanProjection).prepare();
  }, 120_000);

  afterAll(async () => {
    await store.close();
    await db.destroy();
  });

  it('gives the same rows in one batch, in small batches and on replay as event by event', async () => {
    const total = await rebuild(perEvent, 1000);
    const reference = await dump();
    expect(total).toBeGreaterThan(2000);
    expect(reference.rm_delivery_ledger.length).toBeGreaterThan(500);
    expect(reference.rm_grant_ledger.some((r) => r.includes('"movement": "cancelled"'))).toBe(true);
    expect(reference.rm_insertion_ledger.length).toBeGreaterThan(300); // about 330 declarations (data/erbm/README.md)

    expect(await rebuild(bilanProjection, 100_000)).toBe(total);
    expect(await dump()).toEqual(reference);

    expect(await rebuild(bilanProjection, 7)).toBe(total);
    expect(await dump()).toEqual(reference);

    // Replay over existing rows: ledgers keep one row per event, current-state tables their final values.
    await db.query(`UPDATE rm_projection_checkpoint SET checkpoint = $1 WHERE name = 'bilan'`, [START]);
    await new ProjectionRunner(db, store, bilanProjection, 500).catchUp();
    expect(await dump()).toEqual(reference);
  }, 120_000);

  it('uses the set-based path by default with batches of the projection’s preferred size', () => {
    expect(new ProjectionRunner(db, store, bilanProjection).batchSize).toBe(bilanProjection.preferredBatchSize);
    expect(bilanProjection.preferredBatchSize).toBeGreaterThan(1000);
  });

  it('builds the bilan with one scan per ledger exactly as with one query per figure', async () => {
    await new ProjectionRunner(db, store, bilanProjection).catchUp();
    const cases: [AsOf, ReadScope | undefined][] = [
      [{ asOf: '2022-12-31' }, undefined],
      [{ asOf: '2019-06-30' }, undefined],
      [{ asOf: '2021-12-31', knownAt: '2022-01-31T23:59:59Z' }, undefined],
      [{ asOf: '2016-12-31' }, undefined],
      [{ asOf: '2022-12-31' }, { kind: 'epci', code: 'CALL' }],
      [{ asOf: '2022-12-31' }, { kind: 'bailleur', code: 'MAISONS_ET_CITES' }],
      [{ asOf: '2022-12-31' }, { kind: 'financer', code: 'ETAT' }],
    ];
    for (const [q, scope] of cases) {
      const fast = await buildBilan(db, q, scope);
      const { figures, estimates, names, ...rest } = fast;
      expect(rest).toEqual(await referenceBilan(q, scope, names!));
      expect(Object.keys(figures ?? {}).length).toBeGreaterThan(10);
      expect(Object.keys(estimates ?? {})).toEqual(Object.keys(figures ?? {}));
    }
    expect((await buildBilan(db, { asOf: '2022-12-31' })).logements.delivered).toBeGreaterThan(8000);
  }, 60_000);

  /** The bilan as built before the single-scan queries: one query per figure, in sequence. */
  async function referenceBilan(q: AsOf, scope: ReadScope | undefined, names: NonNullable<BilanReport['names']>): Promise<Omit<BilanReport, 'figures' | 'estimates' | 'names'>> {
    const money = (cents: number) => ({ cents, eur: centsToEur(cents) });
    const works = ['travaux', 'livraisons'];
    const count = (rows: { operations: number }[]) => rows.reduce((s, r) => s + r.operations, 0);
    const target = await targetAsOf(db, q);
    const delivered = await deliveredTotal(db, q, scope);
    const phases = await operationsByPhase(db, q, scope);
    const erbm = phases.filter((p) => p.kind === 'logements' && p.financing === 'erbm');
    const urbaines = phases.filter((p) => p.kind === 'urbaine');
    const [logementsSubsidy] = await subsidies(db, q, [], { financerCategories: ['etat', 'region', 'epci'], operationKind: 'logements' }, scope);
    const [urbanSubsidy] = await subsidies(db, q, [], { financerCategories: ['etat', 'region'], operationKind: 'urbaine', fromYear: 2021, toYear: 2022 }, scope);
    const [all] = await subsidies(db, q, [], {}, scope);
    const [insLogements] = await insertionStats(db, q, [], { operationKind: 'logements' }, scope);
    const [insProgramme] = await insertionStats(db, q, [], {}, scope);
    return {
      asOf: q.asOf,
      knownAt: q.knownAt ?? null,
      programme: { targetVersion: target?.targetVersion ?? null, targetDate: target?.targetDate ?? null, energyGoalKwhPerM2Year: target?.energyGoalKwhPerM2Year ?? null, targetSource: target?.source ?? null },
      logements: {
        target: target?.logements ?? null,
        delivered,
        deliveredEstimated: (await energyResults(db, q, target?.energyGoalKwhPerM2Year ?? 130, scope)).estimated.logements,
        percentage: target ? Math.round((delivered / target.logements) * 1000) / 10 : null,
        byEpci: await deliveredBy(db, q, 'epci', scope),
        byBailleur: await deliveredBy(db, q, 'bailleur', scope),
        byCite: await deliveredBy(db, q, 'cite', scope),
        byFinancer: await deliveredBy(db, q, 'financer', scope),
        deliveredWithFinancer: await deliveredWithFinancer(db, q, scope),
        byAxis: await deliveredBy(db, q, 'axis', scope),
        byFinancing: await deliveredBy(db, q, 'financing', scope),
        byYear: await deliveredBy(db, q, 'year', scope),
        timeline: await deliveredTimeline(db, q, scope),
      },
      operations: {
        logements: { terminees: count(erbm.filter((p) => p.phase === 'terminee')), enTravaux: count(erbm.filter((p) => works.includes(p.phase))), byPhase: phases.filter((p) => p.kind === 'logements') },
        urbaines: { terminees: count(urbaines.filter((p) => p.phase === 'terminee')), enTravaux: count(urbaines.filter((p) => works.includes(p.phase))), byPhase: urbaines },
      },
      subsidies: {
        logementsCents: logementsSubsidy?.decidedCents ?? 0,
        logementsEur: centsToEur(logementsSubsidy?.decidedCents ?? 0),
        urbainesEtatRegion2021_2022Cents: urbanSubsidy?.decidedCents ?? 0,
        urbainesEtatRegion2021_2022Eur: centsToEur(urbanSubsidy?.decidedCents ?? 0),
        decided: money(all?.decidedCents ?? 0),
        paid: money(all?.paidCents ?? 0),
        estimated: {
          logementsCents: logementsSubsidy?.decidedEstimatedCents ?? 0,
          urbainesEtatRegion2021_2022Cents: urbanSubsidy?.decidedEstimatedCents ?? 0,
          decidedCents: all?.decidedEstimatedCents ?? 0,
          paidCents: all?.paidEstimatedCents ?? 0,
        },
        byFinancer: (await subsidies(db, q, ['financer'], {}, scope)).map((r) => ({
          financer: r.keys.financer ?? '',
          label: names.financer[r.keys.financer ?? ''] ?? r.keys.financer ?? '',
          decided: money(r.decidedCents),
          paid: money(r.paidCents),
          decidedEstimated: money(r.decidedEstimatedCents),
          paidEstimated: money(r.paidEstimatedCents),
        })),
        byFinancerAxisDispositifYear: (await subsidies(db, q, ['financer', 'epci', 'axis', 'dispositif', 'year'], {}, scope)).map((r) => ({ ...r, decidedEur: centsToEur(r.decidedCents), paidEur: centsToEur(r.paidCents) })),
      },
      insertion: {
        logementsHours: insLogements?.hours ?? 0,
        logementsRecruited: insLogements?.recruitments.total ?? 0,
        logementsRsa: insLogements?.recruitments.rsa ?? 0,
        programmeHours: insProgramme?.hours ?? 0,
        programmeParticipantsDeld: insProgramme?.participants.deld ?? 0,
        programme: insProgramme ?? null,
        logements: insLogements ?? null,
        byEpci: await insertionStats(db, q, ['epci'], {}, scope),
        byYear: await insertionStats(db, q, ['year'], {}, scope),
      },
      energy: await energyResults(db, q, target?.energyGoalKwhPerM2Year ?? 130, scope),
      byAxis: axisTable(
        await deliveredBy(db, q, 'axis', scope),
        await subsidies(db, q, ['axis'], {}, scope),
        insProgramme?.hours ?? 0,
        await axisLabels(db),
      ),
    };
  }
});

describe('bilan projection on a generated history (bench/generate.ts)', () => {
  it('gives the same rows in batches of 5 000 as event by event, with many corrections, amendments and cancellations', async () => {
    const url = await freshDatabase('erbm_test_batch_generated');
    const db = await openDatabase(url);
    const store = new PostgresEventStore({ connection: url });
    const c = new Client({ connectionString: url });
    await c.connect();
    try {
      // A quarter of the events estimates (the generator flags them all): the estimated parts of corrections and
      // amendments depend on earlier rows.
      const draw = mulberry32(44);
      const events = [...generateHistory(30_000)].map((e) => ({ ...e, metadata: { ...e.metadata, estimated: draw() < 0.25 } }));
      for (let i = 0; i < events.length; i += 5000) await insertEvents(c, events.slice(i, i + 5000));
      const types = new Set(events.map((e) => e.type));
      for (const t of ['funding.GrantCancelled.v1', 'funding.GrantAmended.v1', 'insertion.InsertionDeclarationCorrected.v1', 'operation.LogementsDeliveryCorrected.v1', 'operation.PlannedLogementsAmended.v1', 'operation.PhasePlanRevised.v1']) {
        expect(types).toContain(t);
      }
      const dump = async () => {
        const out: Record<string, string[]> = {};
        for (const t of BILAN_TABLES) out[t] = ((await db.query(`SELECT to_jsonb(t)::text AS r FROM ${t} t`)) as { r: string }[]).map((x) => x.r).sort();
        return out;
      };
      const perEvent: Projection = { ...bilanProjection, apply: (m, e) => bilanProjection.apply(m, e) };
      await new ProjectionRunner(db, store, perEvent).prepare();
      await logReadable(db);
      expect(await new ProjectionRunner(db, store, perEvent, 1000).catchUp()).toBe(30_000);
      const reference = await dump();
      await db.query(`TRUNCATE ${BILAN_TABLES.join(', ')}`);
      await db.query(`UPDATE rm_projection_checkpoint SET checkpoint = $1, events = 0 WHERE name = 'bilan'`, [START]);
      expect(await new ProjectionRunner(db, store, bilanProjection).catchUp()).toBe(30_000);
      expect(await dump()).toEqual(reference);
    } finally {
      await c.end();
      await store.close();
      await db.destroy();
    }
    // The per-event path replays 30 000 events one transaction each: minutes on a machine shared with other test runs.
  }, 600_000);
});
