import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type JobStatus } from '@erbm/application';
import { BullMqJobQueue, reportBilanProcessor, startJobWorker } from '@erbm/platform';
import { openDatabase } from '@erbm/read-models';
import { freshDatabase, redisUrl } from '@erbm/test-support';
import Redis from 'ioredis';
import { type DataSource } from 'typeorm';

async function waitFor(queue: BullMqJobQueue, id: string, states: string[]): Promise<JobStatus> {
  for (let i = 0; i < 200; i++) {
    const s = await queue.status(id);
    if (s && states.includes(s.state)) return s;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`job ${id} never reached ${states.join('/')}`);
}

describe('BullMQ job queue on Redis', () => {
  const queueName = `erbm-test-${process.pid}-${Date.now()}`;
  let redis: Redis;
  let db: DataSource;
  let queue: BullMqJobQueue;
  const dir = mkdtempSync(join(tmpdir(), 'erbm-reports-'));

  beforeAll(async () => {
    redis = new Redis(redisUrl(), { maxRetriesPerRequest: null });
    db = await openDatabase(await freshDatabase('erbm_test_jobs'));
    queue = new BullMqJobQueue(redis, queueName);
  });
  afterAll(async () => {
    await queue.close();
    const keys = await redis.keys(`bull:${queueName}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await db.destroy();
  });

  it('runs report.bilan in a separate worker, with progress and the file kept', async () => {
    const connection = redis.duplicate({ maxRetriesPerRequest: null });
    const worker = startJobWorker(connection, { 'report.bilan': reportBilanProcessor(db, dir, () => '2026-01-01T00:00:00.000Z'), 'import.commands': () => Promise.reject(new Error('not used here')) }, queueName);
    try {
      const { jobId } = await queue.enqueue('report.bilan', { asOf: '2022-12-31', knownAt: '2023-01-16T00:00:00.000Z' }, { jobId: 'bilan-copil-2023-01-16' });
      const again = await queue.enqueue('report.bilan', { asOf: '2022-12-31', knownAt: '2023-01-16T00:00:00.000Z' }, { jobId: 'bilan-copil-2023-01-16' });
      expect(again.jobId).toBe(jobId);
      const done = await waitFor(queue, jobId, ['completed', 'failed']);
      expect(done).toMatchObject({ state: 'completed', progress: 100, error: null, result: { delivered: 0, target: null } });
      const file = (done.result as { file: string }).file;
      expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ asOf: '2022-12-31', knownAt: '2023-01-16T00:00:00.000Z' });
    } finally {
      await worker.close();
      connection.disconnect();
    }
  });

  it('keeps a job that fails every attempt visible as failed, with its error', async () => {
    const connection = redis.duplicate({ maxRetriesPerRequest: null });
    const worker = startJobWorker(connection, { 'report.bilan': () => Promise.reject(new Error('disque plein')), 'import.commands': () => Promise.reject(new Error('not used here')) }, queueName);
    try {
      const { jobId } = await queue.enqueue('report.bilan', { asOf: '2022-12-31' });
      const failed = await waitFor(queue, jobId, ['failed']);
      expect(failed).toMatchObject({ state: 'failed', error: 'disque plein', attempts: 3 });
      // The same job id is queued again once it has failed (completed ones stay deduplicated).
      const { jobId: fixedId } = await queue.enqueue('report.bilan', { asOf: '2022-12-31' }, { jobId: 'bilan-retry' });
      await waitFor(queue, fixedId, ['failed']);
      expect((await queue.enqueue('report.bilan', { asOf: '2022-12-31' }, { jobId: 'bilan-retry' })).jobId).toBe('bilan-retry');
      expect((await queue.status('bilan-retry'))?.state).not.toBe('failed');
    } finally {
      await worker.close();
      connection.disconnect();
    }
  });

  it('refuses to start when a job has no processor', () => {
    expect(() => startJobWorker(redis, {} as never, queueName)).toThrow('missing [report.bilan, import.commands]');
  });

  it('answers null for an unknown job id', async () => {
    expect(await queue.status('no-such-job')).toBeNull();
  });
});
