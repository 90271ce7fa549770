import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type JobProcessors, type JobQueue, type JobStatus } from '@erbm/application';
import { BullMqJobQueue, InProcessJobQueue, reportBilanProcessor, startJobWorker } from '@erbm/platform';
import { openDatabase } from '@erbm/projections';
import { freshDatabase, redisUrl } from '@erbm/test-support';
import Redis from 'ioredis';
import { type DataSource } from 'typeorm';

/** A driver of the JobQueue port, as the suite needs it: the queue, and how its processing starts and stops. */
interface Driver {
  queue: JobQueue;
  /** Starts processing with these processors; resolves the function that stops it. */
  start(processors: JobProcessors): () => Promise<void>;
  close(): Promise<void>;
}

async function waitFor(queue: JobQueue, id: string, states: string[]): Promise<JobStatus> {
  for (let i = 0; i < 200; i++) {
    const s = await queue.status(id);
    if (s && states.includes(s.state)) return s;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`job ${id} never reached ${states.join('/')}`);
}

const unused = () => Promise.reject(new Error('not used here'));

let redis: Redis;
let db: DataSource;
const dir = mkdtempSync(join(tmpdir(), 'erbm-reports-'));

beforeAll(async () => {
  redis = new Redis(redisUrl(), { maxRetriesPerRequest: null });
  db = await openDatabase(await freshDatabase('erbm_test_jobs'));
});
afterAll(async () => {
  redis.disconnect();
  await db.destroy();
});

/** BullMQ on the real Redis: the worker in its own blocking connection, like the worker process. */
function bullmq(): Driver {
  const name = `erbm-test-${process.pid}-${Date.now()}`;
  const queue = new BullMqJobQueue(redis, name);
  return {
    queue,
    start(processors) {
      const connection = redis.duplicate({ maxRetriesPerRequest: null });
      let worker: ReturnType<typeof startJobWorker>;
      try {
        worker = startJobWorker(connection, processors, name);
      } catch (e) {
        connection.disconnect();
        throw e;
      }
      return async () => {
        await worker.close();
        connection.disconnect();
      };
    },
    async close() {
      await queue.close();
      const keys = await redis.keys(`bull:${name}:*`);
      if (keys.length) await redis.del(...keys);
    },
  };
}

/** The in-process driver of the embedded mode, with the same retry settings. */
function inProcess(): Driver {
  let queue = new InProcessJobQueue();
  return {
    get queue() {
      return queue;
    },
    start(processors) {
      queue.process(processors);
      return async () => {
        // Processing cannot restart on a closed queue: the next start gets a fresh one (same as a new worker).
        await queue.close();
        queue = new InProcessJobQueue();
      };
    },
    close: () => queue.close(),
  };
}

/** One suite for both drivers of the JobQueue port: they must behave the same for the API and the jobs. */
describe.each([
  ['BullMQ on Redis', bullmq],
  ['in-process (no Redis)', inProcess],
])('job queue: %s', (_name, make) => {
  let driver: Driver;
  beforeEach(() => {
    driver = make();
  });
  afterEach(() => driver.close());

  it('runs report.bilan with progress and keeps the file, and deduplicates a job id', async () => {
    const stop = driver.start({ 'report.bilan': reportBilanProcessor(db, dir, () => '2026-01-01T00:00:00.000Z'), 'import.commands': unused });
    try {
      const { queue } = driver;
      const { jobId } = await queue.enqueue('report.bilan', { asOf: '2022-12-31', knownAt: '2023-01-16T00:00:00.000Z' }, { jobId: 'bilan-copil-2023-01-16' });
      const again = await queue.enqueue('report.bilan', { asOf: '2022-12-31', knownAt: '2023-01-16T00:00:00.000Z' }, { jobId: 'bilan-copil-2023-01-16' });
      expect(again.jobId).toBe(jobId);
      const done = await waitFor(queue, jobId, ['completed', 'failed']);
      expect(done).toMatchObject({ state: 'completed', progress: 100, error: null, result: { delivered: 0, target: null } });
      const file = (done.result as { file: string }).file;
      expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ asOf: '2022-12-31', knownAt: '2023-01-16T00:00:00.000Z' });
    } finally {
      await stop();
    }
  });

  it('keeps a job that fails every attempt visible as failed, with its error, and queues a failed id again', async () => {
    const stop = driver.start({ 'report.bilan': () => Promise.reject(new Error('disque plein')), 'import.commands': unused });
    try {
      const { queue } = driver;
      const { jobId } = await queue.enqueue('report.bilan', { asOf: '2022-12-31' });
      const failed = await waitFor(queue, jobId, ['failed']);
      expect(failed).toMatchObject({ state: 'failed', error: 'disque plein', attempts: 3 });
      const { jobId: fixedId } = await queue.enqueue('report.bilan', { asOf: '2022-12-31' }, { jobId: 'bilan-retry' });
      await waitFor(queue, fixedId, ['failed']);
      expect((await queue.enqueue('report.bilan', { asOf: '2022-12-31' }, { jobId: 'bilan-retry' })).jobId).toBe('bilan-retry');
      expect((await queue.status('bilan-retry'))?.state).not.toBe('failed');
    } finally {
      await stop();
    }
  });

  it('refuses to start when a job has no processor, and answers null for an unknown job id', async () => {
    expect(() => driver.start({} as JobProcessors)).toThrow('missing [report.bilan, import.commands]');
    expect(await driver.queue.status('no-such-job')).toBeNull();
  });
});
