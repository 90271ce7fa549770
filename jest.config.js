// Three test tiers by file suffix (see docs/architecture.md#tests):
//   *.unit.spec.ts  pure code, no I/O;
//   *.int.spec.ts   real PostgreSQL and Redis (DATABASE_URL / REDIS_URL, local services by default);
//   *.e2e.spec.ts   the HTTP API through supertest on real PostgreSQL and Redis.
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
    `^${alias.replace('/', '\\/')}$`,
    `<rootDir>/${target.replace(/^\.\//, '')}`,
  ]),
);

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

const ESM_ONLY = '(jose|@nestjs|uid|load-esm|pdfjs-dist)';

const tier = (name, suffix, extra = {}) => ({
  displayName: name,
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: [`<rootDir>/{apps,libs,test}/**/*.${suffix}.spec.ts`],
  // TypeScript, plus the ESM-only packages (jose, NestJS 12; PDF.js's .mjs files, which the tests read PDFs with)
  // compiled to CommonJS for Jest's module system: Node loads them natively (require(esm), Node 20.19+/22.12+),
  // Jest's sandbox does not before Node 24.9.
  transform: { '^.+\\.ts$': swc, [`^.+/node_modules/${ESM_ONLY}/.+\\.m?js$`]: swc },
  transformIgnorePatterns: [`/node_modules/(?!${ESM_ONLY}/)`],
  moduleNameMapper,
  setupFiles: ['reflect-metadata'],
  ...extra,
});

module.exports = {
  // Integration tests replay thousands of commands on real PostgreSQL: allow 2 minutes per test.
  testTimeout: 120000,
  // With --randomize, the test files are shuffled too, by the same seed (docs/testing.md).
  testSequencer: '<rootDir>/test/sequencer.js',
  projects: [
    tier('unit', 'unit'),
    tier('int', 'int', { globalSetup: '<rootDir>/test/global-setup.js', globalTeardown: '<rootDir>/test/global-teardown.js' }),
    tier('e2e', 'e2e', { globalSetup: '<rootDir>/test/global-setup.js', globalTeardown: '<rootDir>/test/global-teardown.js' }),
  ],
};
