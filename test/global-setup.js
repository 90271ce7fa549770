// Integration and e2e tiers need the real services; fail fast with a clear message when they are not reachable.
const { Client } = require('pg');
const net = require('node:net');

module.exports = async () => {
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
    await client.end();
  } catch (e) {
    throw new Error(`PostgreSQL is not reachable at ${url} (${e.message}). Run: sudo infra/install-services.sh`);
  }
  const redis = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  await new Promise((resolve, reject) => {
    const s = net.connect(Number(redis.port || 6379), redis.hostname, () => {
      s.end();
      resolve();
    });
    s.on('error', (e) => reject(new Error(`Redis is not reachable at ${redis} (${e.message}). Run: sudo infra/install-services.sh`)));
  });
};
