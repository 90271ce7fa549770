import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type JobProcessor } from '@erbm/application';
import { type Sql, buildBilan } from '@erbm/read-models';

/**
 * `report.bilan`: builds the bilan as of `asOf` as known at `knownAt` (default: the time the job runs, written in the
 * file name so the file stays reproducible) and keeps it as `<dir>/bilan-<asOf>-known-<knownAt>.json`.
 */
export function reportBilanProcessor(db: Sql, dir: string, now: () => string): JobProcessor<'report.bilan'> {
  return async ({ asOf, knownAt }, progress) => {
    const at = knownAt ?? now();
    await progress(10);
    const report = await buildBilan(db, { asOf, knownAt: at });
    await progress(80);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `bilan-${asOf}-known-${at.replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    await progress(100);
    return { file, delivered: report.logements.delivered, target: report.logements.target };
  };
}
