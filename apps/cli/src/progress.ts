import { SingleBar, Presets } from 'cli-progress';
import { VERBOSE } from './verbose';

/**
 * A progress bar on a terminal (cli-progress); on a pipe or in CI, with --verbose, one line every `every` steps
 * instead (« Import : 500/2161 »), each value once, so logs stay readable; nothing without --verbose.
 */
export function progressBar(label: string, total: number, every = 500) {
  if (process.stdout.isTTY) {
    const bar = new SingleBar({ format: `${label} [{bar}] {value}/{total} {percentage}% | {eta_formatted}`, hideCursor: true }, Presets.shades_classic);
    bar.start(total, 0);
    return { update: (v: number) => bar.update(v), stop: () => bar.stop() };
  }
  let last = 0;
  let done = false;
  return {
    update: (v: number) => {
      if (!VERBOSE || done) return;
      if (v - last >= every || v === total) {
        last = v;
        done = v === total;
        console.log(`${label} : ${v}/${total}`);
      }
    },
    stop: () => undefined,
  };
}
