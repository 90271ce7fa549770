import { type CommandEnvelope, type CommandResult, CommandExecutor, type JobProcessors } from '@erbm/application';
import { PostgresEventStore } from '@erbm/event-store';
import { ImportStore, InProcessJobQueue, importCommandsProcessor, resumeLeftBehind, sha256, startImportResumer } from '@erbm/platform';
import { openDatabase } from '@erbm/projections';
import { systemClock } from '@erbm/shared';
import { energy, freshDatabase, seedReference } from '@erbm/test-support';
import { type DataSource } from 'typeorm';

/**
 * No import left behind (ADR 0018), on real PostgreSQL: a runner that dies mid-way (simulated by a run abandoned
 * inside a row: its command applied, its outcome not recorded, its lease never renewed again) leaves an expired
 * lease; the resumer queues the import again and the new run applies every remaining row, each row's events once.
 */
const ROWS = 60;
const LEASE_MS = 400;
const IMPORT_ID = 'imp-0123456789abcdef0123456789abcdef';

let db: DataSource;
let store: PostgresEventStore;
let executor: CommandExecutor;

const row = (i: number) => ({
  commandId: `resume-row-${i}`,
  type: 'operation.RecordLogementsDelivery',
  data: { operationId: 'op-parc', deliveryId: `resume-${i}`, deliveredOn: '2020-01-15', logements: 1, energyBefore: energy(380, 'F'), energyAfter: energy(110, 'B') },
});
const content = Array.from({ length: ROWS }, (_, i) => JSON.stringify(row(i + 1))).join('\n');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const execute = (e: CommandEnvelope): Promise<CommandResult> => executor.execute(e);

beforeAll(async () => {
  const url = await freshDatabase('erbm_test_import_resume');
  db = await openDatabase(url);
  store = new PostgresEventStore({ connection: url });
  await store.ensureSchema();
  executor = new CommandExecutor(store, systemClock);
  await seedReference(executor);
  const actor = { organisation: 'bailleur:SIA_HABITAT', user: 'test', channel: 'import' as const };
  await new ImportStore(db).create({ importId: IMPORT_ID, organisation: actor.organisation, actor, correlationId: 'resume-test', format: 'jsonl', content, contentSha256: sha256(content), total: ROWS }, systemClock.now());
});
afterAll(async () => {
  await store.close();
  await db.destroy();
});

it('resumes an abandoned import once its lease expired, applying every row once', async () => {
  const imports = new ImportStore(db);
  // The first runner: applies 31 rows for real, then never returns from the 31st (killed after its append).
  let calls = 0;
  let abandoned!: () => void;
  const reached = new Promise<void>((resolve) => (abandoned = resolve));
  const dying = async (e: CommandEnvelope): Promise<CommandResult> => {
    calls++;
    const r = await execute(e);
    if (calls < 31) return r;
    abandoned();
    return new Promise<CommandResult>(() => undefined);
  };
  void importCommandsProcessor(db, dying, () => systemClock.now(), { every: 10, leaseMs: LEASE_MS })({ importId: IMPORT_ID }, () => Promise.resolve(), { attempt: 1, attempts: 3 });
  await reached;

  expect((await imports.view(IMPORT_ID))!).toMatchObject({ status: 'running', done: 30 });
  // While the lease is live, nothing is left behind.
  expect(await imports.leftBehind()).toEqual([]);
  await sleep(LEASE_MS + 100);
  const [left] = await imports.leftBehind();
  expect(left.importId).toBe(IMPORT_ID);

  const queue = new InProcessJobQueue({ backoffMs: 10 });
  queue.process({
    'import.commands': importCommandsProcessor(db, execute, () => systemClock.now(), { every: 10, leaseMs: LEASE_MS }),
    'report.bilan': () => Promise.reject(new Error('not used here')),
  } as JobProcessors);
  // The resumer sweeps at once (start-up), then every 50 ms here: sweeps before the resumed job takes the lease
  // queue the same job id again (deduplicated), later ones find the lease live.
  const logged: string[] = [];
  const resumer = startImportResumer(db, queue, 50, { log: (m) => logged.push(m), warn: (m) => logged.push(m) });
  for (let i = 0; i < 200 && (await imports.view(IMPORT_ID))!.status !== 'completed'; i++) await sleep(25);
  await resumer.stop();
  await queue.close();
  expect(logged.length).toBeGreaterThanOrEqual(1);
  expect(new Set(logged)).toEqual(new Set([`Imports left behind queued again: ${IMPORT_ID}`]));
  expect(await resumeLeftBehind(db, queue)).toEqual([]);

  const view = (await imports.view(IMPORT_ID))!;
  expect(view).toMatchObject({ status: 'completed', total: ROWS, done: ROWS, rejected: 0 });
  // Row 31 was applied by the dead runner but not recorded: applied again, it appended nothing (duplicate).
  expect({ accepted: view.accepted, duplicates: view.duplicates }).toEqual({ accepted: ROWS - 1, duplicates: 1 });
  const rows = await imports.rows(IMPORT_ID, { limit: 1000, offset: 0 });
  expect(rows.rows.map((r) => r.line)).toEqual(Array.from({ length: ROWS }, (_, i) => i + 1));
  expect(rows.rows.find((r) => r.line === 31)).toMatchObject({ outcome: 'duplicate', commandId: 'resume-row-31' });
  // Every row's events exactly once in the log.
  const perCommand: { command_id: string; n: number }[] = await db.query(
    `SELECT metadata->>'commandId' AS command_id, count(*)::int AS n FROM es_events WHERE metadata->>'commandId' LIKE 'resume-row-%' GROUP BY 1`,
  );
  expect(perCommand).toHaveLength(ROWS);
  expect(perCommand.every((r) => r.n === 1)).toBe(true);
  expect(await imports.leftBehind()).toEqual([]);
});

it('does not run an import whose lease another runner holds, nor a finished one', async () => {
  const imports = new ImportStore(db);
  const other = `imp-${'f'.repeat(32)}`;
  const actor = { organisation: 'delegation', user: 'test', channel: 'import' as const };
  const file = JSON.stringify({ commandId: 'lease-held-1', type: 'programme.RegisterBailleur', data: { bailleurCode: 'NORD_HABITAT', name: 'Nord Habitat' } });
  await imports.create({ importId: other, organisation: 'delegation', actor, correlationId: 'held', format: 'jsonl', content: file, contentSha256: sha256(file), total: 1 }, systemClock.now());
  expect(await imports.acquire(other, 'live-runner', 1, 60_000, systemClock.now())).toBe(true);
  let applied = 0;
  const counting = (e: CommandEnvelope) => {
    applied++;
    return execute(e);
  };
  const processor = importCommandsProcessor(db, counting, () => systemClock.now(), { leaseMs: LEASE_MS });
  await processor({ importId: other }, () => Promise.resolve(), { attempt: 1, attempts: 3 });
  expect(applied).toBe(0);
  expect((await imports.view(other))!.status).toBe('running');
  // A finished import of its own (this test does not rely on the other one having run first).
  const finished = `imp-${'e'.repeat(32)}`;
  const done = JSON.stringify({ commandId: 'lease-finished-1', type: 'programme.RegisterBailleur', data: { bailleurCode: 'HABITAT_HAUTS_DE_FRANCE', name: 'Habitat Hauts-de-France' } });
  await imports.create({ importId: finished, organisation: 'delegation', actor, correlationId: 'finished', format: 'jsonl', content: done, contentSha256: sha256(done), total: 1 }, systemClock.now());
  await importCommandsProcessor(db, execute, () => systemClock.now(), { leaseMs: LEASE_MS })({ importId: finished }, () => Promise.resolve(), { attempt: 1, attempts: 3 });
  expect((await imports.view(finished))!.status).toBe('completed');
  await processor({ importId: finished }, () => Promise.resolve(), { attempt: 1, attempts: 3 });
  expect(applied).toBe(0);
});
