import { ContentionError, LostRace, retryOnContention } from './contention-retry';

/** The retry wrapper of commands without If-Match: given tries that lose races, when retried, then… */
describe('retryOnContention', () => {
  const policy = { attempts: 4, baseMs: 8, capMs: 20, retryAfterSeconds: 2 };

  it('retries a try that lost the race until it wins, and returns its result', async () => {
    let tries = 0;
    const result = await retryOnContention(() => (++tries < 3 ? Promise.reject(new LostRace('operation-op-x')) : Promise.resolve('appended')), policy, () => 0);
    expect({ result, tries }).toEqual({ result: 'appended', tries: 3 });
  });

  it('waits a random time under the capped exponential ceiling before each retry (full jitter)', async () => {
    const waits: number[] = [];
    const realSetTimeout = global.setTimeout;
    const spy = jest.spyOn(global, 'setTimeout').mockImplementation(((fn: () => void, ms?: number) => {
      waits.push(ms ?? 0);
      return realSetTimeout(fn, 0);
    }) as typeof setTimeout);
    try {
      await expect(retryOnContention(() => Promise.reject(new LostRace('operation-op-x')), policy, () => 0.999)).rejects.toBeInstanceOf(ContentionError);
    } finally {
      spy.mockRestore();
    }
    // ceilings 8, 16, 20 (capped) ms; random 0.999 of each, floored
    expect(waits).toEqual([7, 15, 19]);
  });

  it('gives up after the last try with 409 COMMAND.CONTENTION carrying the Retry-After seconds', async () => {
    let tries = 0;
    const error = await retryOnContention(() => {
      tries++;
      return Promise.reject(new LostRace('operation-op-x'));
    }, policy, () => 0).catch((e: unknown) => e as ContentionError);
    expect(tries).toBe(4);
    expect(error).toMatchObject({ code: 'COMMAND.CONTENTION', kind: 'conflict', retryAfterSeconds: 2 });
    expect(error.message).toContain('operation-op-x');
  });

  it('lets any other error through at once, without retrying', async () => {
    let tries = 0;
    await expect(retryOnContention(() => {
      tries++;
      return Promise.reject(new Error('database down'));
    }, policy)).rejects.toThrow('database down');
    expect(tries).toBe(1);
  });
});
