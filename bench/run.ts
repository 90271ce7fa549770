import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Table from 'cli-table3';
import { RESULTS_DIR, type Row, config, fmt, machine, siblingUrl } from './common';

/**
 * `npm run bench`: runs each benchmark of `BENCH_ONLY` (append, command, rebuild, api, report, rollups) in its own Node process (so
 * that memory and event loops are not shared), then prints the combined table from `bench/results/<name>.json`.
 * `BENCH_SCALE=1` instead runs rebuild and report over histories of 10 000, 100 000 and 1 000 000 events (at most
 * `BENCH_EVENTS`) and prints how the cost grows. Settings: see `bench/common.ts` and docs/performance.md.
 */
const ROOT = join(__dirname, '..');
/**
 * V8 setting of the rebuild process (as for a projection worker): a capped old generation, so garbage is collected
 * before the heap grows far past the live set (~100–130 MiB). Without it V8 let the heap reach ~300 MiB before a
 * full collection: peak RSS ~510 MiB at 1M events, for the same throughput.
 */
const REBUILD_NODE_OPTIONS = process.env.BENCH_REBUILD_NODE_OPTIONS ?? '--max-old-space-size=384';

function child(module: string, env: Record<string, string> = {}): void {
  const r = spawnSync(process.execPath, ['-r', './tools/register.js', `bench/${module}.ts`], { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`bench/${module}.ts failed (exit ${r.status})`);
}

const readRows = (name: string): Row[] => {
  const f = join(RESULTS_DIR, `${name}.json`);
  return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as { rows: Row[] }).rows : [];
};

async function main(): Promise<void> {
  const m = await machine();
  console.log(`Machine: ${m.cpus} × ${m.cpuModel}, ${fmt(m.ramMiB)} MiB RAM, Node ${m.node}, PostgreSQL ${m.postgres}`);
  if (process.env.BENCH_SCALE === '1') return scale();
  const names: string[] = [];
  if (config.only.includes('rebuild') || config.only.includes('report') || config.only.includes('rollups')) {
    // Generated in its own process, so that the benchmarks' memory figures do not carry the generator's.
    console.log(`\n── history (${fmt(config.events)} events) ──`);
    child('history');
  }
  for (const name of ['append', 'command', 'rebuild', 'api', 'report', 'rollups']) {
    if (!config.only.includes(name)) continue;
    console.log(`\n── ${name} ──`);
    child(name, { BENCH_FRESH: '0', ...(name === 'rebuild' ? { NODE_OPTIONS: REBUILD_NODE_OPTIONS } : {}) });
    names.push(name);
  }
  const table = new Table({ head: ['benchmark', 'scenario', 'result', 'baseline', 'ratio', 'target', 'met'], wordWrap: true, colWidths: [10, 36, 44, 26, 8, 18, 8] });
  for (const n of names) for (const r of readRows(n)) table.push([r.benchmark, r.scenario, r.result, r.baseline, r.ratio, r.target, r.met === null ? '' : r.met ? 'yes' : 'NO']);
  console.log(`\n${table.toString()}`);
}

/** Rebuild and report at 10k, 100k and 1M events, each on its own database (histories are cached). */
function scale(): void {
  const sizes = [10_000, 100_000, 1_000_000].filter((n) => n <= config.events);
  const out: { events: number; rebuildEps: number; rebuildSeconds: number; peakRssMiB: number; jsonMedianMs: number; jsonP95Ms: number; pdfMedianMs: number; deliveryRows: number }[] = [];
  for (const events of sizes) {
    const url = events === config.events ? config.databaseUrl : siblingUrl(`_${events}`);
    const env = { BENCH_EVENTS: String(events), BENCH_DATABASE_URL: url, BENCH_PER_EVENT_SAMPLE: '0' };
    console.log(`\n── ${fmt(events)} events ──`);
    child('history', env);
    child('rebuild', { ...env, BENCH_RESULT_NAME: `rebuild-${events}`, NODE_OPTIONS: REBUILD_NODE_OPTIONS });
    child('report', { ...env, BENCH_RESULT_NAME: `report-${events}` });
    child('rollups', { ...env, BENCH_RESULT_NAME: `rollups-${events}` });
    const rb = JSON.parse(readFileSync(join(RESULTS_DIR, `rebuild-${events}.json`), 'utf8')) as { figures: { eventsPerSecond: number; seconds: number; peakRssMiB: number } };
    const rp = JSON.parse(readFileSync(join(RESULTS_DIR, `report-${events}.json`), 'utf8')) as { figures: { json: { medianMs: number; p95Ms: number }; pdf: { medianMs: number }; ledgerRows: Record<string, number> } };
    out.push({
      events, rebuildEps: rb.figures.eventsPerSecond, rebuildSeconds: rb.figures.seconds, peakRssMiB: rb.figures.peakRssMiB,
      jsonMedianMs: rp.figures.json.medianMs, jsonP95Ms: rp.figures.json.p95Ms, pdfMedianMs: rp.figures.pdf.medianMs, deliveryRows: rp.figures.ledgerRows.rm_delivery_ledger,
    });
  }
  const table = new Table({ head: ['events', 'delivery rows', 'rebuild ev/s', 'rebuild s', 'peak RSS MiB', 'bilan JSON median ms', 'p95 ms', 'PDF median ms'] });
  for (const r of out) table.push([fmt(r.events), fmt(r.deliveryRows), fmt(r.rebuildEps), r.rebuildSeconds.toFixed(1), fmt(r.peakRssMiB), fmt(r.jsonMedianMs), fmt(r.jsonP95Ms), fmt(r.pdfMedianMs)]);
  console.log(`\n${table.toString()}`);
  writeFileSync(join(RESULTS_DIR, 'scale.json'), `${JSON.stringify({ machine: null, sizes: out }, null, 2)}\n`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
