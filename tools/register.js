// Runtime check first: the Node lines the project supports (package.json `engines`, ADR 0003). npm does not enforce
// them (engine-strict is off, see ADR 0003), so every entry point (API, worker, CLI, bench) refuses here, in one line.
{
  const [major, minor] = process.versions.node.split('.').map(Number);
  const supported = (major === 20 && minor >= 19) || (major === 22 && minor >= 12) || major >= 24;
  if (!supported) {
    console.error(`ERBM needs Node.js 20.19+, 22.12+ or 24+ (24 LTS recommended); this is ${process.version}.`);
    process.exit(1);
  }
}
// Runtime TypeScript loader for the apps: SWC with decorator metadata (NestJS DI and class-validator need it)
// and the tsconfig path aliases (@erbm/*). Type-checking is done separately by `npm run typecheck`.
process.env.SWC_NODE_PROJECT = require('node:path').join(__dirname, '..', 'tsconfig.runtime.json');
require('@swc-node/register');
