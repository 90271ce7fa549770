import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type JobProcessor } from '@erbm/application';
import { REPORT_FORMATS, bilanCharts, renderBilan } from '@erbm/report-rendering';
import { type Sql, buildBilan } from '@erbm/reporting';

/**
 * `report.bilan`: builds the bilan as of `asOf` as known at `knownAt` (default: the time the job runs, written in the
 * file name so the file stays reproducible) and keeps one file per requested format (default all) as
 * `<dir>/bilan-<asOf>-known-<knownAt>.<ext>`. Progress: 10 % once the bilan is built, then through the formats.
 */
export function reportBilanProcessor(db: Sql, dir: string, now: () => string): JobProcessor<'report.bilan'> {
  return async ({ asOf, knownAt, formats }, progress) => {
    const at = knownAt ?? now();
    await progress(5);
    const report = await buildBilan(db, { asOf, knownAt: at });
    await progress(10);
    const wanted = REPORT_FORMATS.filter((f) => !formats || formats.length === 0 || formats.includes(f));
    const charts = wanted.some((f) => f === 'html' || f === 'pdf') ? await bilanCharts(report) : undefined;
    mkdirSync(dir, { recursive: true });
    const base = join(dir, `bilan-${asOf}-known-${at.replace(/[:.]/g, '-')}`);
    const files: { format: string; file: string; bytes: number; sha256: string }[] = [];
    for (const [i, format] of wanted.entries()) {
      const body = await renderBilan(report, format, charts);
      const file = `${base}.${format === 'zip' ? 'csv.zip' : format}`;
      writeFileSync(file, body);
      files.push({ format, file, bytes: body.length, sha256: createHash('sha256').update(body).digest('hex') });
      await progress(10 + Math.round((90 * (i + 1)) / wanted.length));
    }
    return { file: files[0].file, files, delivered: report.logements.delivered, target: report.logements.target };
  };
}
