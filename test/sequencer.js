// Order of the test files (jest.config.js `testSequencer`). Without `--randomize`, Jest's own order (failed first,
// then slowest). With `--randomize`, Jest shuffles the tests inside each file by its seed but keeps its own order of
// the files; this sequencer shuffles the files as well, by the same seed, so that a randomized run also tests that no
// suite depends on another having run before it, and `--randomize --seed=N` replays the order of run N.
const Sequencer = require('@jest/test-sequencer').default;

/** mulberry32: a small seeded 32-bit generator, uniform in [0, 1). */
function generator(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class SeededSequencer extends Sequencer {
  constructor(options) {
    super(options);
    this.globalConfig = options.globalConfig;
  }

  sort(tests) {
    if (!this.globalConfig.randomize) return super.sort(tests);
    // From a fixed order (path, then project), a Fisher–Yates shuffle driven by the seed.
    const key = (t) => `${t.path}\u0000${t.context.config.displayName?.name ?? ''}`;
    const shuffled = [...tests].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    const random = generator(this.globalConfig.seed);
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
    }
    return shuffled;
  }
}

module.exports = SeededSequencer;
