import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type JobProcessor } from '@erbm/application';
import { forecastLogements } from '@erbm/forecasting';
import { REPORT_FORMATS, bilanCharts, forecastFanChart, renderBilan, renderForecast } from '@erbm/report-rendering';
import { type Sql, buildBilan } from '@erbm/reporting';

/**
 * `report.bilan`: builds the bilan as of `asOf` as known at `knownAt` (default: the time the job runs, written in the
 * file name so the file stays reproducible) and keeps one file per requested format (default all) as
 * `<dir>/bilan-<asOf>-known-<knownAt>.<ext>`, with the forecast's fan chart in the HTML and PDF, and the forecast
 * report beside it as `<dir>/prevision-<asOf>-known-<knownAt>.<ext>`. Progress: 10 % once the bilan is built, then
 * through the files.
 */
export function reportBilanProcessor(db: Sql, dir: string, now: () => string): JobProcessor<'report.bilan'> {
  return async ({ asOf, knownAt, formats }, progress) => {
    const at = knownAt ?? now();
    await progress(5);
    const report = await buildBilan(db, { asOf, knownAt: at });
    await progress(10);
    const wanted = REPORT_FORMATS.filter((f) => !formats || formats.length === 0 || formats.includes(f));
    // The forecast as known at the same time (default seed and runs): its fan chart goes into the bilan's HTML/PDF
    // and it has a report of its own, in the same formats (docs/forecasting.md).
    const forecast = await forecastLogements(db, { asOf, knownAt: at });
    const drawn = wanted.some((f) => f === 'html' || f === 'pdf');
    const fan = drawn ? await forecastFanChart(forecast) : undefined;
    const charts = drawn ? { ...(await bilanCharts(report)), fan } : undefined;
    mkdirSync(dir, { recursive: true });
    const stamp = `${asOf}-known-${at.replace(/[:.]/g, '-')}`;
    const files: { format: string; file: string; bytes: number; sha256: string }[] = [];
    // The bilan in every format asked for; the forecast report beside it (no ZIP of its own: its CSV is one table).
    const steps = wanted.flatMap((format) => [
      { format, file: join(dir, `bilan-${stamp}.${format === 'zip' ? 'csv.zip' : format}`), render: () => renderBilan(report, format, charts) },
      ...(format === 'zip' ? [] : [{ format, file: join(dir, `prevision-${stamp}.${format}`), render: () => renderForecast(forecast, format, fan) }]),
    ]);
    for (const [i, step] of steps.entries()) {
      const body = await step.render();
      writeFileSync(step.file, body);
      files.push({ format: step.format, file: step.file, bytes: body.length, sha256: createHash('sha256').update(body).digest('hex') });
      await progress(10 + Math.round((90 * (i + 1)) / steps.length));
    }
    return { file: files[0].file, files, delivered: report.logements.delivered, target: report.logements.target };
  };
}
