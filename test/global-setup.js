// Integration and e2e tiers need real PostgreSQL and Redis (and KurrentDB for its contract suite). Two modes
// (docs/testing.md, docs/adr/0011-test-services.md):
//   - containers: when TESTCONTAINERS is 1/true, or unset and a Docker engine answers, start postgres:16, redis:7
//     and kurrentplatform/kurrentdb:25.1 with testcontainers and point DATABASE_URL, REDIS_URL and EVENTSTORE_URL
//     at them (test/global-teardown.js stops them);
//   - local services (TESTCONTAINERS=0/false, or no Docker engine): use DATABASE_URL / REDIS_URL as given (default
//     the local services) and fail fast with the install hint when they do not answer.
// Environment variables set here reach the tests: globalSetup runs in Jest's parent process before any test, so
// `--runInBand` (CI, `npm test`) shares it and worker processes, forked afterwards, inherit it.
const { Client } = require('pg');
const fs = require('node:fs');
const net = require('node:net');

const DOCKER_PROBE_MS = 3000;

module.exports = async () => {
  if (globalThis.__ERBM_TEST_CONTAINERS__) return; // already started by the other tier of this run
  if (await useContainers()) {
    await startContainers();
    return;
  }
  await checkLocalServices();
};

/** TESTCONTAINERS=1/true forces containers, 0/false forbids them; unset: containers when Docker answers quickly. */
async function useContainers() {
  const flag = (process.env.TESTCONTAINERS ?? '').toLowerCase();
  if (flag === '1' || flag === 'true') return true;
  if (flag === '0' || flag === 'false') return false;
  if (flag !== '') throw new Error(`TESTCONTAINERS must be 1, true, 0 or false, got "${process.env.TESTCONTAINERS}"`);
  // Cheap check first: no socket and no DOCKER_HOST means no engine (a docker CLI alone is not enough).
  if (!process.env.DOCKER_HOST && !fs.existsSync('/var/run/docker.sock')) return false;
  try {
    const { getContainerRuntimeClient } = require('testcontainers');
    await withTimeout(getContainerRuntimeClient(), DOCKER_PROBE_MS, 'Docker probe');
    return true;
  } catch {
    return false;
  }
}

async function startContainers() {
  const { GenericContainer, Wait } = require('testcontainers');
  const startup = 180000;
  const [postgres, redis, kurrentdb] = await Promise.all([
    new GenericContainer('postgres:16')
      .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust' })
      .withExposedPorts(5432)
      .withTmpFs({ '/var/lib/postgresql/data': 'rw' })
      .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
      .withStartupTimeout(startup)
      .start(),
    new GenericContainer('redis:7').withExposedPorts(6379).withWaitStrategy(Wait.forLogMessage(/Ready to accept connections/)).withStartupTimeout(startup).start(),
    new GenericContainer('kurrentplatform/kurrentdb:25.1')
      .withEnvironment({ KURRENTDB_INSECURE: 'true', KURRENTDB_RUN_PROJECTIONS: 'None', KURRENTDB_MEM_DB: 'true' })
      .withExposedPorts(2113)
      .withWaitStrategy(Wait.forHttp('/health/live', 2113).forStatusCodeMatching((s) => s >= 200 && s < 300))
      .withStartupTimeout(startup)
      .start(),
  ]);
  globalThis.__ERBM_TEST_CONTAINERS__ = [postgres, redis, kurrentdb];
  process.env.DATABASE_URL = `postgres://postgres@${postgres.getHost()}:${postgres.getMappedPort(5432)}/postgres`;
  process.env.REDIS_URL = `redis://${redis.getHost()}:${redis.getMappedPort(6379)}`;
  process.env.EVENTSTORE_URL = `kurrentdb://${kurrentdb.getHost()}:${kurrentdb.getMappedPort(2113)}?tls=false`;
  console.log(`\nTest services (testcontainers): ${process.env.DATABASE_URL}, ${process.env.REDIS_URL}, ${process.env.EVENTSTORE_URL}`);
}

async function checkLocalServices() {
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.end();
  } catch (e) {
    throw new Error(`PostgreSQL is not reachable at ${url} (${e.message}). Run: sudo infra/install-services.sh (or start Docker and set TESTCONTAINERS=1)`);
  }
  const redis = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  await new Promise((resolve, reject) => {
    const s = net.connect(Number(redis.port || 6379), redis.hostname, () => {
      s.end();
      resolve();
    });
    s.setTimeout(5000, () => s.destroy(new Error('timeout')));
    s.on('error', (e) => reject(new Error(`Redis is not reachable at ${redis} (${e.message}). Run: sudo infra/install-services.sh (or start Docker and set TESTCONTAINERS=1)`)));
  });
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
    }),
  ]);
}
