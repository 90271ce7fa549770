import { type JobProcessors, type JobStatus } from '@erbm/application';
import { InProcessJobQueue } from './in-process-job-queue';

const bilanResult = { file: 'b.json', files: [], delivered: 8245, target: 23000 };
const unused = () => Promise.reject(new Error('not used'));

async function until(queue: InProcessJobQueue, id: string, states: string[]): Promise<JobStatus> {
  for (let i = 0; i < 400; i++) {
    const s = await queue.status(id);
    if (s && states.includes(s.state)) return s;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`job ${id} never reached ${states.join('/')}`);
}

describe('in-process job queue (no Redis)', () => {
  let queue: InProcessJobQueue;
  afterEach(() => queue.close());

  it('counts its jobs by state (the job queue gauge)', async () => {
    queue = new InProcessJobQueue({ backoffMs: 1 });
    await queue.enqueue('report.bilan', { asOf: '2022-12-31' });
    await queue.enqueue('report.bilan', { asOf: '2021-12-31' });
    expect(await queue.counts()).toEqual({ waiting: 2, active: 0, completed: 0, failed: 0, delayed: 0 });
    queue.process({ 'report.bilan': () => Promise.resolve(bilanResult), 'import.commands': unused } as JobProcessors);
    await queue.close();
    expect(await queue.counts()).toEqual({ waiting: 0, active: 0, completed: 2, failed: 0, delayed: 0 });
  });

  it('given processors, when a job is queued, then it runs with progress and keeps its result', async () => {
    queue = new InProcessJobQueue({ backoffMs: 1 });
    queue.process({
      'report.bilan': async (payload, progress, attempt) => {
        expect(payload).toEqual({ asOf: '2022-12-31' });
        expect(attempt).toEqual({ attempt: 1, attempts: 3 });
        await progress(150);
        return bilanResult;
      },
      'import.commands': unused,
    } as JobProcessors);
    const { jobId } = await queue.enqueue('report.bilan', { asOf: '2022-12-31' });
    expect(await until(queue, jobId, ['completed'])).toMatchObject({ name: 'report.bilan', state: 'completed', progress: 100, result: bilanResult, error: null, attempts: 1 });
  });

  it('given a job id, when queued twice, then it runs once; once failed, the same id is queued again', async () => {
    queue = new InProcessJobQueue({ backoffMs: 1 });
    let runs = 0;
    queue.process({ 'report.bilan': () => (++runs === 1 ? Promise.resolve(bilanResult) : Promise.reject(new Error('disque plein'))), 'import.commands': unused } as JobProcessors);
    const first = await queue.enqueue('report.bilan', { asOf: '2022-12-31' }, { jobId: 'bilan-copil' });
    expect((await queue.enqueue('report.bilan', { asOf: '2022-12-31' }, { jobId: 'bilan-copil' })).jobId).toBe(first.jobId);
    await until(queue, 'bilan-copil', ['completed']);
    await queue.enqueue('report.bilan', { asOf: '2022-12-31' }, { jobId: 'bilan-copil' });
    expect(runs).toBe(1);

    await queue.enqueue('report.bilan', { asOf: '2023-12-31' }, { jobId: 'bilan-2023' });
    expect(await until(queue, 'bilan-2023', ['failed'])).toMatchObject({ state: 'failed', error: 'disque plein', attempts: 3 });
    await queue.enqueue('report.bilan', { asOf: '2023-12-31' }, { jobId: 'bilan-2023' });
    expect((await queue.status('bilan-2023'))?.state).not.toBe('failed');
  });

  it('given a processor failing once, when the job runs, then it is retried with back-off and completes', async () => {
    const failed: string[] = [];
    queue = new InProcessJobQueue({ backoffMs: 2, onFailed: (s) => failed.push(s.id) });
    const attempts: number[] = [];
    queue.process({
      'report.bilan': (_p, _progress, a) => {
        attempts.push(a.attempt);
        return a.attempt === 1 ? Promise.reject(new Error('transient')) : Promise.resolve(bilanResult);
      },
      'import.commands': unused,
    } as JobProcessors);
    const { jobId } = await queue.enqueue('report.bilan', { asOf: '2022-12-31' });
    expect(await until(queue, jobId, ['completed'])).toMatchObject({ attempts: 2, result: bilanResult });
    expect(attempts).toEqual([1, 2]);
    expect(failed).toEqual([]);
  });

  it('given jobs queued before processing starts, when started, then they run at most `concurrency` at a time', async () => {
    queue = new InProcessJobQueue({ concurrency: 2 });
    let running = 0;
    let peak = 0;
    const ids = await Promise.all([1, 2, 3, 4, 5].map((i) => queue.enqueue('import.commands', { importId: `imp-${i}` })));
    expect((await queue.status(ids[0].jobId))?.state).toBe('waiting');
    queue.process({
      'report.bilan': unused,
      'import.commands': async () => {
        peak = Math.max(peak, ++running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        return { total: 1, accepted: 1, duplicates: 0, rejected: 0 };
      },
    } as JobProcessors);
    for (const { jobId } of ids) await until(queue, jobId, ['completed']);
    expect(peak).toBe(2);
  });

  it('refuses processors that do not match the job names, unknown ids answer null, and a closed queue takes nothing', async () => {
    queue = new InProcessJobQueue();
    expect(() => queue.process({} as JobProcessors)).toThrow('missing [report.bilan, import.commands]');
    expect(await queue.status('nope')).toBeNull();
    await queue.close();
    await expect(queue.enqueue('report.bilan', { asOf: '2022-12-31' })).rejects.toThrow('closed');
  });
});
