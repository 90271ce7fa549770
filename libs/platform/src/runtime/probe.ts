import { Client } from 'pg';
import Redis from 'ioredis';

/**
 * True when a PostgreSQL server accepts a connection at `url` within `timeoutMs` (default 1 500 ms). Any failure
 * (refused, timeout, authentication) answers false: the caller then falls back to the embedded database.
 */
export async function postgresAnswers(url: string, timeoutMs = 1500): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** True when Redis at `url` answers PING within `timeoutMs` (default 1 000 ms); never retries. */
export async function redisAnswers(url: string, timeoutMs = 1000): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs).unref());
    return (await Promise.race([redis.ping(), timeout])) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}
