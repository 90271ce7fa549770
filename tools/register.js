// Runtime TypeScript loader for the apps: SWC with decorator metadata (NestJS DI and class-validator need it)
// and the tsconfig path aliases (@erbm/*). Type-checking is done separately by `npm run typecheck`.
process.env.SWC_NODE_PROJECT = require('node:path').join(__dirname, '..', 'tsconfig.runtime.json');
require('@swc-node/register');
