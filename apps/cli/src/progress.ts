import { SingleBar, Presets } from 'cli-progress';

/**
 * A progress bar on a terminal (cli-progress); on a pipe or in CI, one line every `every` steps instead, so logs
 * stay readable.
 */
export function progressBar(label: string, total: number, every = 500) {
  if (process.stdout.isTTY) {
    const bar = new SingleBar({ format: `${label} [{bar}] {value}/{total} {percentage}% | {eta_formatted}`, hideCursor: true }, Presets.shades_classic);
    bar.start(total, 0);
    return { update: (v: number) => bar.update(v), stop: () => bar.stop() };
  }
  let last = 0;
  return {
    update: (v: number) => {
      if (v - last >= every || v === total) {
        last = v;
        console.log(`${label}: ${v}/${total}`);
      }
    },
    stop: () => undefined,
  };
}
