import { readConfig } from '../config';
import { type Probes, redact, resolveModes } from './runtime';

/** Probes answering as told, recording what they were asked. */
function probes(postgres: boolean, redis: boolean): Probes & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    postgres: (url) => {
      asked.push(`postgres ${url}`);
      return Promise.resolve(postgres);
    },
    redis: (url) => {
      asked.push(`redis ${url}`);
      return Promise.resolve(redis);
    },
  };
}

describe('choosing the database and job modes', () => {
  it('given no DATABASE_URL and nothing answering, when resolved, then the embedded database with in-process jobs', async () => {
    const p = probes(false, false);
    const modes = await resolveModes(readConfig({}), p);
    expect(modes).toMatchObject({ database: 'embedded', jobs: 'in-process' });
    expect(modes.reasons.database).toContain('aucun PostgreSQL ne répond');
    // The embedded database serves one process: Redis is not even asked.
    expect(p.asked).toEqual(['postgres postgres://postgres@127.0.0.1:5432/postgres']);
  });

  it('given the local services answering, when resolved, then PostgreSQL and BullMQ', async () => {
    expect(await resolveModes(readConfig({}), probes(true, true))).toMatchObject({ database: 'postgres', jobs: 'bullmq' });
  });

  it('given PostgreSQL but no Redis, when resolved, then PostgreSQL with in-process jobs', async () => {
    const modes = await resolveModes(readConfig({ REDIS_URL: 'redis://cache:6379' }), probes(true, false));
    expect(modes).toMatchObject({ database: 'postgres', jobs: 'in-process' });
    expect(modes.reasons.jobs).toBe('aucun Redis ne répond sur redis://cache:6379');
  });

  it('given DATABASE_URL, when resolved, then that server without probing it, even if it does not answer yet', async () => {
    const p = probes(false, true);
    const modes = await resolveModes(readConfig({ DATABASE_URL: 'postgres://u:secret@db:5432/erbm' }), p);
    expect(modes).toMatchObject({ database: 'postgres', jobs: 'bullmq' });
    expect(p.asked).toEqual(['redis redis://127.0.0.1:6379']);
  });

  it('given explicit modes, when resolved, then they win over what answers', async () => {
    expect(await resolveModes(readConfig({ ERBM_DATABASE: 'embedded' }), probes(true, true))).toMatchObject({ database: 'embedded', jobs: 'in-process' });
    expect(await resolveModes(readConfig({ ERBM_DATABASE: 'postgres', ERBM_JOBS: 'in-process' }), probes(false, true))).toMatchObject({ database: 'postgres', jobs: 'in-process' });
  });

  it('given contradictory settings, when resolved, then a clear error', async () => {
    await expect(resolveModes(readConfig({ ERBM_DATABASE: 'embedded', DATABASE_URL: 'postgres://db/erbm' }), probes(true, true))).rejects.toThrow('ERBM_DATABASE=embedded and DATABASE_URL are both set');
    await expect(resolveModes(readConfig({ ERBM_DATABASE: 'embedded', ERBM_JOBS: 'bullmq' }), probes(true, true))).rejects.toThrow('ERBM_JOBS=bullmq needs a worker process');
    expect(() => readConfig({ ERBM_JOBS: 'sidekiq' })).toThrow('ERBM_JOBS must be one of auto, bullmq, in-process, got "sidekiq"');
    expect(() => readConfig({ EVENT_STORE: 'kurrentdb' })).toThrow('EVENT_STORE=kurrentdb needs EVENTSTORE_URL');
  });

  it('never prints a password', () => {
    expect(redact('postgres://erbm:s3cret@db:5432/erbm')).toBe('postgres://erbm:***@db:5432/erbm');
    expect(redact('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });
});
