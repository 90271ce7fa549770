import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommandExecutor } from '@erbm/application';
import { PostgresEventStore } from '@erbm/event-store';
import { BILAN_TABLES, ProjectionRunner, bilanProjection, identityProjection, openDatabase } from '@erbm/projections';
import { systemClock } from '@erbm/shared';
import { RESULTS_DIR, type Row, config, fmt, siblingUrl, writeResult } from './common';
import { ensureHistory } from './history';

/** The part of autocannon's programmatic API used here (the package ships no typings). */
interface AutocannonResult {
  requests: { average: number; total: number };
  /** Bytes received (headers and bodies). */
  throughput: { total: number };
  latency: { p50: number; p99: number; max: number; average: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats: Record<string, { count: number }>;
  duration: number;
}
interface AutocannonRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  setupRequest?: (req: AutocannonRequest & { body?: string }) => AutocannonRequest & { body?: string };
}
type Autocannon = (opts: { url: string; connections: number; duration: number; requests?: AutocannonRequest[]; headers?: Record<string, string> }) => Promise<AutocannonResult>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as Autocannon;

const ROOT = join(__dirname, '..');
const PORT = Number(process.env.BENCH_API_PORT ?? 3999);
const OPERATIONS = 256;

export interface ApiScenario {
  name: string;
  requestsPerSecond: number;
  requests: number;
  /** Latencies in milliseconds. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  non2xx: number;
  errors: number;
  statusCodes: Record<string, number>;
  /** Bytes received per response (headers and body), on average. */
  bytesPerResponse: number;
  /**
   * CPU time of the API process per response (user + system, milliseconds; from /proc, null elsewhere): what the
   * answer costs the server, less sensitive than throughput to other processes sharing the cores.
   */
  apiCpuMsPerResponse: number | null;
}

/** User + system CPU time of process `pid`, milliseconds (Linux /proc; null when unavailable). */
function cpuMs(pid: number | undefined): number | null {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return null;
  }
}

const scenarioOf = (name: string, r: AutocannonResult, cpu: number | null = null): ApiScenario => ({
  name,
  requestsPerSecond: r.requests.average,
  requests: r.requests.total,
  p50Ms: r.latency.p50,
  p99Ms: r.latency.p99,
  maxMs: r.latency.max,
  non2xx: r.non2xx,
  errors: r.errors + r.timeouts,
  statusCodes: Object.fromEntries(Object.entries(r.statusCodeStats).map(([k, v]) => [k, v.count])),
  bytesPerResponse: r.requests.total ? Math.round(r.throughput.total / r.requests.total) : 0,
  apiCpuMsPerResponse: cpu === null || !r.requests.total ? null : Math.round((cpu / r.requests.total) * 1000) / 1000,
});

/** Operations in travaux with room for many 1-logement deliveries, one per `bench-api-op-<i>`. */
async function prepareOperations(store: PostgresEventStore): Promise<void> {
  const ex = new CommandExecutor(store, systemClock);
  const actor = { organisation: 'delegation', user: 'bench', channel: 'cli' as const };
  for (let i = 0; i < OPERATIONS; i++) {
    const operationId = `bench-api-op-${i}`;
    await ex.execute({
      commandId: `${operationId}-programme`, type: 'operation.ProgrammeLogementsOperation', actor,
      data: {
        operationId, citeId: 'bench-cite-01', bailleurCode: 'MAISONS_ET_CITES', title: `Bench API ${i}`, plannedLogements: 100_000, financing: 'erbm', axisCode: '1a',
        lots: [{ lotType: 'PALULOS', logements: 100_000 }], programmedOn: '2024-01-10', plannedDates: {},
      },
    });
    for (const [phase, startedOn] of [['etudes', '2024-02-01'], ['avp', '2024-04-01'], ['autorisation', '2024-06-01'], ['travaux', '2024-09-01']]) {
      await ex.execute({ commandId: `${operationId}-${phase}`, type: 'operation.StartPhase', actor, data: { operationId, phase, startedOn } });
    }
  }
}

/** An API key of the délégation, bootstrapped with the CLI as an operator would (`auth bootstrap`). */
function bootstrapKey(url: string): string {
  const out = execFileSync(process.execPath, ['-r', './tools/register.js', 'apps/cli/src/main.ts', 'auth', 'bootstrap', '--name', 'Bench'], {
    cwd: ROOT, env: { ...process.env, DATABASE_URL: url }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
  });
  const key = /erbm_[A-Za-z0-9_-]+/.exec(out)?.[0];
  if (!key) throw new Error(`no key in: ${out}`);
  return key;
}

async function waitHealthy(child: ChildProcess, seconds = 90): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`API exited with ${child.exitCode}`);
    try {
      const r = await fetch(`http://127.0.0.1:${PORT}/health`);
      if (r.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('API not healthy in time');
}

/** The API under load (autocannon, 64 connections): progress by EPCI, the bilan JSON (plain and gzip), deliveries, and `/health` as the baseline. */
export async function benchApi(): Promise<ApiScenario[]> {
  const url = siblingUrl('_api');
  await ensureHistory(url, config.apiEvents, true);
  const db = await openDatabase(url);
  const store = new PostgresEventStore({ connection: url });
  try {
    await prepareOperations(store);
    for (const p of [bilanProjection, identityProjection]) {
      const r = new ProjectionRunner(db, store, p);
      await r.prepare();
      await r.catchUp();
    }
    await db.query(`VACUUM ANALYZE ${BILAN_TABLES.join(', ')}`);
  } finally {
    await store.close();
    await db.destroy();
  }
  const key = bootstrapKey(url);
  // The API in its own process (it does not share an event loop with autocannon); its log goes to a file.
  mkdirSync(RESULTS_DIR, { recursive: true });
  const log = openSync(join(RESULTS_DIR, 'api-server.log'), 'w');
  const child = spawn(process.execPath, ['-r', './tools/register.js', 'apps/api/src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(PORT), DATABASE_URL: url, RATE_LIMIT_PER_MINUTE: '100000000', NODE_ENV: 'production' },
    stdio: ['ignore', log, log],
  });
  const scenarios: ApiScenario[] = [];
  try {
    await waitHealthy(child);
    const duration = config.apiSeconds;
    const base = { url: `http://127.0.0.1:${PORT}`, connections: 64, duration };
    const auth = { Authorization: `Bearer ${key}` };
    /** Runs one scenario, measuring the API process's CPU time over it. */
    const measured = async (name: string, opts: Parameters<Autocannon>[0]): Promise<ApiScenario> => {
      const before = cpuMs(child.pid);
      const r = await autocannon(opts);
      const after = cpuMs(child.pid);
      return scenarioOf(name, r, before === null || after === null ? null : after - before);
    };
    scenarios.push(await measured('GET /health (baseline)', { ...base, requests: [{ method: 'GET', path: '/health' }] }));
    scenarios.push(await measured('GET /progress/logements?by=epci', { ...base, requests: [{ method: 'GET', path: '/progress/logements?by=epci&asOf=2022-12-31', headers: auth }] }));
    scenarios.push(await measured('GET /reports/bilan (JSON)', { ...base, requests: [{ method: 'GET', path: '/reports/bilan?asOf=2022-12-31', headers: auth }] }));
    // As a browser or a generated client asks for it: gzip accepted (the API keeps the gzip of a kept answer).
    scenarios.push(await measured('GET /reports/bilan (JSON, Accept-Encoding: gzip)', { ...base, requests: [{ method: 'GET', path: '/reports/bilan?asOf=2022-12-31', headers: { ...auth, 'Accept-Encoding': 'gzip' } }] }));
    let n = 0;
    const run = Date.now().toString(36);
    scenarios.push(
      await measured(
        'POST /operations/{id}/deliveries',
        {
          ...base,
          requests: [
            {
              method: 'POST',
              path: '/operations/bench-api-op-0/deliveries',
              setupRequest: (req) => {
                const i = n++;
                const deliveryId = `api-${run}-${i}`;
                return {
                  ...req,
                  path: `/operations/bench-api-op-${i % OPERATIONS}/deliveries`,
                  headers: { ...auth, 'Content-Type': 'application/json', 'Idempotency-Key': `bench-${deliveryId}` },
                  body: JSON.stringify({
                    deliveryId, deliveredOn: '2025-06-01', logements: 1,
                    energyBefore: { primaryEnergyKwhPerM2Year: 350, dpeClass: 'F', dpeScale: '2021' },
                    energyAfter: { primaryEnergyKwhPerM2Year: 100, dpeClass: 'B', dpeScale: '2021' },
                  }),
                };
              },
            },
          ],
        },
      ),
    );
  } finally {
    await new Promise((r) => setTimeout(r, 2000)); // let the server drain what it had queued
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    closeSync(log);
  }
  const health = scenarios[0];
  // Issue 9's target for the reads (progress, bilan JSON): ≥ 0.5× the /health throughput, p99 ≤ 3× the /health p99, 0 errors.
  const isRead = (s: ApiScenario) => s.name.startsWith('GET /progress') || s.name.startsWith('GET /reports');
  // Issue 15's target for the writes: deliveries ≥ 0.5× the /health throughput, 0 errors.
  const isWrite = (s: ApiScenario) => s.name.startsWith('POST ');
  const rows: Row[] = scenarios.map((s, i) => ({
    benchmark: 'api',
    scenario: `${s.name}, 64 conn., ${config.apiSeconds} s, ${fmt(config.apiEvents)}-event history`,
    result: `${fmt(s.requestsPerSecond)} req/s, p50 ${s.p50Ms} ms, p99 ${s.p99Ms} ms, max ${s.maxMs} ms, non-2xx ${s.non2xx}, errors ${s.errors}, ${fmt(s.bytesPerResponse)} B/response, API CPU ${s.apiCpuMsPerResponse ?? '?'} ms/response`,
    baseline: i === 0 ? '' : `${fmt(health.requestsPerSecond)} req/s, p99 ${health.p99Ms} ms /health`,
    ratio: i === 0 ? '' : (s.requestsPerSecond / health.requestsPerSecond).toFixed(3),
    target: isRead(s) ? '≥ 0.5× /health req/s, p99 ≤ 3× /health p99, 0 errors (issue 9)' : isWrite(s) ? '≥ 0.5× /health req/s, 0 errors (issue 15)' : '',
    met: isRead(s)
      ? s.requestsPerSecond >= 0.5 * health.requestsPerSecond && s.p99Ms <= 3 * health.p99Ms && s.errors === 0 && s.non2xx === 0
      : isWrite(s)
        ? s.requestsPerSecond >= 0.5 * health.requestsPerSecond && s.errors === 0 && s.non2xx === 0
        : null,
  }));
  await writeResult('api', rows, { scenarios, connections: 64, seconds: config.apiSeconds, historyEvents: config.apiEvents });
  return scenarios;
}

if (require.main === module) {
  benchApi().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
