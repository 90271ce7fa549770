import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { READ_DB, reportBilanProcessor } from '@erbm/platform';
import { type DataSource } from 'typeorm';
import { TestApi, expectProblem } from './support/api';

/** Report generation through BullMQ: the API queues, a worker (here in-process, on an isolated queue) runs the job. */
describe('report jobs (BullMQ on Redis)', () => {
  let api: TestApi;
  const dir = mkdtempSync(join(tmpdir(), 'erbm-e2e-reports-'));
  let stopWorker: () => Promise<void>;

  beforeAll(async () => {
    api = await TestApi.start('report_jobs');
    stopWorker = api.startJobWorker({ 'report.bilan': reportBilanProcessor(api.app.get<DataSource>(READ_DB), dir, () => '2026-01-01T00:00:00.000Z') });
  });
  afterAll(async () => {
    await stopWorker();
    await api.close();
  });

  it('queues the bilan, reports progress, and keeps the file; the same knownAt maps to the same job', async () => {
    const body = { asOf: '2022-12-31', knownAt: '2023-01-16T00:00:00Z' };
    const first = await api.raw().post('/reports/bilan/jobs').send(body);
    expect(first.status).toBe(202);
    const again = await api.raw().post('/reports/bilan/jobs').send(body);
    expect(again.body.jobId).toBe(first.body.jobId);
    let status: { state: string; progress: number; result: { file: string } | null } = { state: 'waiting', progress: 0, result: null };
    for (let i = 0; i < 200 && !['completed', 'failed'].includes(status.state); i++) {
      await new Promise((r) => setTimeout(r, 50));
      status = (await api.get(first.body.statusUrl)).body;
    }
    expect(status).toMatchObject({ state: 'completed', progress: 100 });
    expect(existsSync(status.result!.file)).toBe(true);
    expect(JSON.parse(readFileSync(status.result!.file, 'utf8'))).toMatchObject({ asOf: '2022-12-31', knownAt: '2023-01-16T00:00:00.000Z' });
  });

  it('maps a retried request with the same Idempotency-Key to its first job, and refuses the key for another body', async () => {
    const key = { 'Idempotency-Key': `copil-2023-bilan-${Date.now()}` };
    const first = await api.raw().post('/reports/bilan/jobs').set(key).send({ asOf: '2021-12-31' });
    expect(first.status).toBe(202);
    const retry = await api.raw().post('/reports/bilan/jobs').set(key).send({ asOf: '2021-12-31' });
    expect(retry.body.jobId).toBe(first.body.jobId);
    expectProblem(await api.raw().post('/reports/bilan/jobs').set(key).send({ asOf: '2020-12-31' }), 409, 'JOB.KEY_REUSED');
  });

  it('answers 404 for an unknown job and 400 for a bad date or a knowledge time in the future', async () => {
    expectProblem(await api.get('/reports/jobs/nope'), 404, 'JOB.NOT_FOUND');
    expectProblem(await api.raw().post('/reports/bilan/jobs').send({ asOf: '2022-02-30' }), 400, 'REQUEST.INVALID');
    for (const knownAt of ['2023-016', '2023-W03', '20230116T000000Z', '2999-01-01T00:00:00Z']) {
      expectProblem(await api.raw().post('/reports/bilan/jobs').send({ asOf: '2022-12-31', knownAt }), 400, 'REQUEST.INVALID');
    }
  });
});

describe('report jobs with Redis unreachable', () => {
  let api: TestApi;

  beforeAll(async () => {
    // Nothing listens on this loopback port: the queue is down, PostgreSQL is up.
    api = await TestApi.start('report_jobs_no_redis', { redisUrl: 'redis://127.0.0.1:6390' });
  });
  afterAll(async () => {
    await api.close();
  });

  it('answers 503 QUEUE.UNAVAILABLE instead of failing, and /health says redis is down', async () => {
    expectProblem(await api.raw().post('/reports/bilan/jobs').send({ asOf: '2022-12-31' }), 503, 'QUEUE.UNAVAILABLE');
    expectProblem(await api.get('/reports/jobs/some-job'), 503, 'QUEUE.UNAVAILABLE');
    const health = await api.get('/health');
    expect(health.status).toBe(503);
    expect(health.body.details).toMatchObject({ postgresql: { status: 'up' }, eventStore: { status: 'up' }, redis: { status: 'down' } });
  });

  it('refuses an import with 503 QUEUE.UNAVAILABLE and stores nothing of it (ADR 0018)', async () => {
    const file = `${JSON.stringify({ commandId: 'imp-503-1', type: 'programme.RegisterBailleur', data: { bailleurCode: 'NORD_HABITAT', name: 'Nord Habitat' } })}\n`;
    const res = await api.raw().post('/imports').set('Content-Type', 'application/x-ndjson').send(file);
    expectProblem(res, 503, 'QUEUE.UNAVAILABLE');
    const rows: { n: number }[] = await api.db.query('SELECT count(*)::int AS n FROM imports');
    expect(rows[0].n).toBe(0);
  });
});
