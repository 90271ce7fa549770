import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommandExecutor, parseImportLines } from '@erbm/application';
import { PostgresEventStore } from '@erbm/event-store';
import { type PublishedFigure, buildBilan, checkPublished } from '@erbm/reporting';
import { ProjectionRunner, bilanProjection, openDatabase } from '@erbm/projections';
import { systemClock } from '@erbm/shared';
import { freshDatabase, logReadable } from '@erbm/test-support';
import { type DataSource } from 'typeorm';

const ROOT = join(__dirname, '../..');

/**
 * The main job's correctness: the ERBM 2017–2022 reconstruction (data/erbm), replayed through the real command
 * path and projections, reproduces the published end-2022 situation (REFERENCE.md §7).
 */
describe('ERBM 2017–2022 reconstruction', () => {
  let db: DataSource;
  let store: PostgresEventStore;
  let ex: CommandExecutor;
  const lines = parseImportLines(readFileSync(join(ROOT, 'data/erbm/erbm-2017-2022.jsonl'), 'utf8'), 'import', 'reconstruction-test');
  const published = JSON.parse(readFileSync(join(ROOT, 'data/erbm/published-figures.json'), 'utf8')) as PublishedFigure[];

  // Lines refused by the parser or the executor, when the whole file is imported once in beforeAll.
  const rejected: string[] = [];

  beforeAll(async () => {
    const url = await freshDatabase('erbm_test_reconstruction');
    db = await openDatabase(url);
    store = new PostgresEventStore({ connection: url });
    ex = new CommandExecutor(store, systemClock);
    for (const l of lines) {
      if ('error' in l) rejected.push(`line ${l.line}: ${JSON.stringify(l.error)}`);
      else await ex.execute(l.envelope).catch((e: { code?: string; message: string }) => rejected.push(`line ${l.line}: ${e.code} ${e.message}`));
    }
    const runner = new ProjectionRunner(db, store, bilanProjection);
    await runner.prepare();
    await logReadable(db);
    await runner.catchUp();
  });
  afterAll(async () => {
    await store.close();
    await db.destroy();
  });

  it('accepts every command of the reconstruction', () => {
    expect(rejected).toEqual([]);
    expect(lines.length).toBeGreaterThan(2000);
  });

  it('reproduces every dated figure of the sources at its own date', async () => {
    const checks = await checkPublished(db, published);
    const failures = checks.filter((c) => !c.ok).map((c) => `${c.figure.key}@${c.figure.asOf}: ${c.actual} vs ${c.figure.precision} ${c.figure.value}`);
    expect(failures).toEqual([]);
    expect(new Set(published.map((p) => p.asOf)).size).toBeGreaterThan(2);
    expect(published.map((p) => p.key)).toEqual(expect.arrayContaining(['logements.delivered', 'subsidies.logementsEur', 'insertion.logementsHours', 'operations.logements.enTravaux', 'cites.priority']));
    const report = await buildBilan(db, { asOf: '2022-12-31' });
    expect(report.logements.byEpci.map((g) => g.key).sort()).toEqual(['CABBALR', 'CAD', 'CAHC', 'CALL', 'CAPH', 'CAVM', 'CCCO', 'CCOM']);
  });

  it('detects a figure that is not reproduced at its date', async () => {
    const delivered = published.find((p) => p.key === 'logements.delivered' && p.asOf === '2022-12-31');
    expect(delivered).toBeDefined();
    const [atEnd2021] = await checkPublished(db, [{ ...delivered!, asOf: '2021-12-31' }]);
    expect(atEnd2021.ok).toBe(false);
    expect(atEnd2021.actual).toBeLessThan(8000);
  });

  it('knows less at an earlier knowledge time: the end-2021 situation as known on 2022-01-31 excludes later reports', async () => {
    const asKnownThen = await buildBilan(db, { asOf: '2021-12-31', knownAt: '2022-01-31T23:59:59Z' });
    const asKnownNow = await buildBilan(db, { asOf: '2021-12-31' });
    expect(asKnownThen.logements.delivered).toBeLessThanOrEqual(asKnownNow.logements.delivered);
    expect(asKnownThen.logements.delivered).toBeGreaterThan(0);
    expect((await buildBilan(db, { asOf: '2016-12-31' })).logements.delivered).toBe(0);
  });

  it('appends nothing when the same file is imported again', async () => {
    const [{ n: before }] = await db.query('SELECT count(*) AS n FROM es_events');
    const results = [];
    for (const l of lines.slice(0, 300)) if (!('error' in l)) results.push(await ex.execute(l.envelope));
    expect(results.every((r) => r.duplicate)).toBe(true);
    const [{ n: after }] = await db.query('SELECT count(*) AS n FROM es_events');
    expect(after).toBe(before);
  });
});
