import type { ThrottlerStorage } from '@nestjs/throttler';
import type Redis from 'ioredis';

/** What `ThrottlerStorage.increment` answers (`@nestjs/throttler`): hits in the window, times in whole seconds. */
export interface ThrottlerRecord {
  totalHits: number;
  timeToExpire: number;
  isBlocked: boolean;
  timeToBlockExpire: number;
}

// One atomic call per request. KEYS[1] counts the window's hits (fixed window of ARGV[1] ms), KEYS[2] marks a
// blocked tracker for ARGV[3] ms once the count passes ARGV[2]; blocking resets the count, as the throttler's own
// in-memory storage does when a block ends. Answers { hits, ms to window end, blocked 0/1, ms to block end }.
const INCREMENT = `
local blockTtl = redis.call('PTTL', KEYS[2])
if blockTtl > 0 then
  return { tonumber(redis.call('GET', KEYS[2])), blockTtl, 1, blockTtl }
end
local hits = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
if hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], hits, 'PX', ARGV[3])
  redis.call('DEL', KEYS[1])
  return { hits, ttl, 1, tonumber(ARGV[3]) }
end
return { hits, ttl, 0, 0 }
`;

/**
 * Rate-limit counters of `@nestjs/throttler` in Redis, shared by every API replica (ADR 0003: the former
 * `@nest-lab/throttler-storage-redis` declares no NestJS 12 support). Keys: `<prefix>:<throttler>:<key>:hits`
 * and `…:block`, both expiring by themselves. Errors of the Redis client propagate (the `ClientThrottlerGuard`
 * lets the request through and logs them).
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'erbm:throttler',
  ) {}

  /** `ttl` and `blockDuration` in milliseconds, as `@nestjs/throttler` 6 passes them. */
  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerRecord> {
    const base = `${this.prefix}:${throttlerName}:${key}`;
    const [hits, msToExpire, blocked, msToBlockExpire] = (await this.redis.eval(
      INCREMENT,
      2,
      `${base}:hits`,
      `${base}:block`,
      String(ttl),
      String(limit),
      String(blockDuration > 0 ? blockDuration : ttl),
    )) as [number, number, number, number];
    return {
      totalHits: hits,
      timeToExpire: Math.ceil(msToExpire / 1000),
      isBlocked: blocked === 1,
      timeToBlockExpire: Math.ceil(msToBlockExpire / 1000),
    };
  }
}
