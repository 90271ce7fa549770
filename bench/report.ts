import { PostgresEventStore } from '@erbm/event-store';
import { BILAN_TABLES, ProjectionRunner, bilanProjection, openDatabase } from '@erbm/projections';
import { bilanCharts, renderBilan } from '@erbm/report-rendering';
import { buildBilan } from '@erbm/reporting';
import { type Row, config, fmt, msSince, percentile, writeResult } from './common';
import { ensureHistory } from './history';

/** Median and p95 of `runs` timed calls of `f` (after one warm-up call), milliseconds. */
async function time(runs: number, f: () => Promise<unknown>): Promise<{ medianMs: number; p95Ms: number; runs: number }> {
  await f();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await f();
    ms.push(msSince(t0));
  }
  return { medianMs: percentile(ms, 50), p95Ms: percentile(ms, 95), runs };
}

export interface ReportFigures {
  events: number;
  asOf: string;
  ledgerRows: Record<string, number>;
  json: { medianMs: number; p95Ms: number; runs: number };
  pdf: { medianMs: number; p95Ms: number; runs: number; bytes: number };
  xlsx: { medianMs: number; p95Ms: number; runs: number; bytes: number };
  /** Baseline: one sequential read of the three ledgers (`count(*)`), milliseconds. */
  scanMs: number;
  delivered: number;
}

/** The mid-term report (as of 2022-12-31 by default) on the bench history: JSON (`buildBilan`), PDF and XLSX files. */
export async function benchReport(url = config.databaseUrl, events = config.events, resultName = 'report'): Promise<ReportFigures> {
  await ensureHistory(url, events, false);
  const db = await openDatabase(url);
  const store = new PostgresEventStore({ connection: url });
  try {
    // Bring the read models up to date (the rebuild benchmark leaves them built).
    const runner = new ProjectionRunner(db, store, bilanProjection);
    await runner.prepare();
    if ((await runner.catchUp()) > 0) await db.query(`VACUUM ANALYZE ${BILAN_TABLES.join(', ')}`);
    const asOf = process.env.BENCH_AS_OF ?? '2022-12-31';
    const runs = Number(process.env.BENCH_REPORT_RUNS ?? 10);
    const ledgerRows: Record<string, number> = {};
    for (const t of ['rm_delivery_ledger', 'rm_grant_ledger', 'rm_insertion_ledger', 'rm_operation_step']) ledgerRows[t] = Number((await db.query(`SELECT count(*) AS n FROM ${t}`))[0].n);
    const scan = await time(3, () => db.query('SELECT (SELECT sum(logements) FROM rm_delivery_ledger), (SELECT sum(decided_cents) FROM rm_grant_ledger), (SELECT sum(hours) FROM rm_insertion_ledger)'));
    let delivered = 0;
    const json = await time(runs, async () => {
      const r = await buildBilan(db, { asOf });
      delivered = r.logements.delivered;
      return JSON.stringify(r);
    });
    let pdfBytes = 0;
    const pdf = await time(Math.max(3, Math.floor(runs / 2)), async () => {
      const r = await buildBilan(db, { asOf });
      pdfBytes = (await renderBilan(r, 'pdf', await bilanCharts(r))).length;
    });
    let xlsxBytes = 0;
    const xlsx = await time(Math.max(3, Math.floor(runs / 2)), async () => {
      xlsxBytes = (await renderBilan(await buildBilan(db, { asOf }), 'xlsx')).length;
    });
    const f: ReportFigures = { events, asOf, ledgerRows, json, pdf: { ...pdf, bytes: pdfBytes }, xlsx: { ...xlsx, bytes: xlsxBytes }, scanMs: scan.medianMs, delivered };
    const base = `${fmt(scan.medianMs)} ms ledger scan`;
    const rows: Row[] = [
      { benchmark: 'report', scenario: `buildBilan JSON as of ${asOf}, ${fmt(events)} events`, result: `median ${fmt(json.medianMs)} ms, p95 ${fmt(json.p95Ms)} ms`, baseline: base, ratio: (scan.medianMs / json.medianMs).toFixed(2), target: '≤ 300 ms', met: json.medianMs <= 300 },
      { benchmark: 'report', scenario: 'PDF file (bilan + charts + pdfmake)', result: `median ${fmt(pdf.medianMs)} ms, p95 ${fmt(pdf.p95Ms)} ms (${fmt(pdfBytes / 1024)} KiB)`, baseline: base, ratio: (scan.medianMs / pdf.medianMs).toFixed(2), target: '', met: null },
      { benchmark: 'report', scenario: 'XLSX file (bilan + exceljs)', result: `median ${fmt(xlsx.medianMs)} ms, p95 ${fmt(xlsx.p95Ms)} ms (${fmt(xlsxBytes / 1024)} KiB)`, baseline: base, ratio: (scan.medianMs / xlsx.medianMs).toFixed(2), target: '', met: null },
    ];
    await writeResult(resultName, rows, f as unknown as Record<string, unknown>);
    return f;
  } finally {
    await store.close();
    await db.destroy();
  }
}

if (require.main === module) {
  benchReport(config.databaseUrl, config.events, process.env.BENCH_RESULT_NAME ?? 'report').catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
