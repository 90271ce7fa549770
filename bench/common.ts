import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

/** Benchmark settings, from the environment (see docs/performance.md). */
export const config = {
  /** Events of the generated history (rebuild, report). */
  events: Number(process.env.BENCH_EVENTS ?? 1_000_000),
  /** Database of the generated history; other benchmarks use sibling databases (`<name>_append`, `<name>_api`). */
  databaseUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/erbm_bench',
  only: (process.env.BENCH_ONLY ?? 'append,command,rebuild,api,report,rollups').split(',').map((s) => s.trim()).filter(Boolean),
  fresh: process.env.BENCH_FRESH === '1',
  /** Seconds of load per API scenario. */
  apiSeconds: Number(process.env.BENCH_API_SECONDS ?? 20),
  /** Events of the API database's history. */
  apiEvents: Number(process.env.BENCH_API_EVENTS ?? 100_000),
};

export const RESULTS_DIR = join(__dirname, 'results');

/** The URL of a sibling database of the bench database (same server). */
export function siblingUrl(suffix: string): string {
  const u = new URL(config.databaseUrl);
  u.pathname = `${u.pathname}${suffix}`;
  return u.toString();
}

/** Creates the database of `url` when missing (or drops and recreates it with `fresh`). */
export async function ensureDatabase(url: string, fresh = false): Promise<void> {
  const u = new URL(url);
  const name = u.pathname.slice(1);
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`bad bench database name ${name}`);
  u.pathname = '/postgres';
  const c = new Client({ connectionString: u.toString() });
  await c.connect();
  try {
    if (fresh) await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    const r = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (r.rowCount === 0) await c.query(`CREATE DATABASE ${name}`);
  } finally {
    await c.end();
  }
}

/** Machine facts recorded with every result. */
export interface Machine {
  cpus: number;
  cpuModel: string;
  ramMiB: number;
  node: string;
  postgres: string;
  date: string;
}

export async function machine(): Promise<Machine> {
  const c = new Client({ connectionString: config.databaseUrl.replace(/\/[^/]*$/, '/postgres') });
  await c.connect();
  const v = (await c.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0].v;
  await c.end();
  return { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '?', ramMiB: Math.round(totalmem() / 2 ** 20), node: process.version, postgres: v, date: new Date().toISOString() };
}

/** One line of the combined table: a measured figure, its baseline, and the target. */
export interface Row {
  benchmark: string;
  scenario: string;
  result: string;
  baseline: string;
  /** result / baseline (throughputs) or baseline / result (latencies): 1 = as fast as the physical limit. */
  ratio: string;
  target: string;
  met: boolean | null;
}

/** Writes `bench/results/<name>.json` (figures + machine) and prints the rows. */
export async function writeResult(name: string, rows: Row[], figures: Record<string, unknown>): Promise<void> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const m = await machine();
  writeFileSync(join(RESULTS_DIR, `${name}.json`), `${JSON.stringify({ name, machine: m, rows, figures }, null, 2)}\n`);
  for (const r of rows) console.log(`[${r.benchmark}] ${r.scenario}: ${r.result} (baseline ${r.baseline}, ratio ${r.ratio}) target ${r.target} ${r.met === null ? '' : r.met ? 'MET' : 'MISSED'}`);
}

/** The p-th percentile (0–100) of `values` (nearest rank), in their unit. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Samples this process's resident set size every `everyMs` milliseconds; `stop()` gives the peak in MiB. */
export function rssSampler(everyMs = 100): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const t = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, everyMs);
  return {
    stop: () => {
      clearInterval(t);
      peak = Math.max(peak, process.memoryUsage().rss);
      return peak / 2 ** 20;
    },
  };
}

/** Resident set size of the PostgreSQL server processes (all of them, from `ps`), in MiB; null when unavailable. */
export function postgresRssMiB(): number | null {
  try {
    const out = execFileSync('ps', ['-C', 'postgres', '-o', 'rss='], { encoding: 'utf8' });
    return out.split('\n').filter(Boolean).reduce((s, l) => s + Number(l.trim()), 0) / 1024;
  } catch {
    return null;
  }
}

/** Milliseconds since `t0` (from `process.hrtime.bigint()`). */
export const msSince = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;
