import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { redisUrl } from '@erbm/test-support';
import { RedisThrottlerStorage } from './redis-throttler-storage';

describe('RedisThrottlerStorage (real Redis)', () => {
  let redis: Redis;
  let storage: RedisThrottlerStorage;

  beforeAll(() => {
    redis = new Redis(redisUrl());
    storage = new RedisThrottlerStorage(redis, `erbm-test:throttler:${randomUUID()}`);
  });
  afterAll(async () => {
    await redis.quit();
  });

  it('counts hits in the window and blocks the hit past the limit', async () => {
    const key = randomUUID();
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await storage.increment(key, 60_000, 3, 30_000, 'default'));
    expect(answers.map((a) => a.totalHits)).toEqual([1, 2, 3, 4]);
    expect(answers.map((a) => a.isBlocked)).toEqual([false, false, false, true]);
    expect(answers[0].timeToExpire).toBeGreaterThan(58);
    expect(answers[0].timeToExpire).toBeLessThanOrEqual(60);
    expect(answers[3].timeToBlockExpire).toBe(30);
    // Still blocked on the next hit, with the count that caused the block.
    const next = await storage.increment(key, 60_000, 3, 30_000, 'default');
    expect(next).toMatchObject({ isBlocked: true, totalHits: 4 });
  });

  it('keeps trackers and throttlers apart', async () => {
    const key = randomUUID();
    await storage.increment(key, 60_000, 1, 1_000, 'default');
    expect((await storage.increment(randomUUID(), 60_000, 1, 1_000, 'default')).totalHits).toBe(1);
    expect((await storage.increment(key, 60_000, 1, 1_000, 'other')).totalHits).toBe(1);
  });

  it('starts a new window once the block has expired', async () => {
    const key = randomUUID();
    await storage.increment(key, 60_000, 1, 150, 'default');
    expect((await storage.increment(key, 60_000, 1, 150, 'default')).isBlocked).toBe(true);
    await new Promise((r) => setTimeout(r, 250));
    expect(await storage.increment(key, 60_000, 1, 150, 'default')).toMatchObject({ isBlocked: false, totalHits: 1 });
  });

  it('counts concurrent hits exactly once each', async () => {
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 50 }, () => storage.increment(key, 60_000, 100, 1_000, 'default')));
    expect(answers.map((a) => a.totalHits).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });
});
