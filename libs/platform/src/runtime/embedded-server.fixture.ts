/**
 * Test fixture: serves the embedded PostgreSQL of the folder given as first argument and prints its URL on stdout;
 * stops cleanly on SIGTERM. Integration tests run it as a child process because PGlite loads parts of itself with
 * dynamic `import()`, which Jest's module sandbox refuses.
 * Usage: node -r ./tools/register.js libs/platform/src/runtime/embedded-server.fixture.ts <dir>
 */
import { startEmbeddedPostgres } from './embedded-postgres';

startEmbeddedPostgres(process.argv[2]).then(
  (embedded) => {
    process.stdout.write(`${embedded.url}\n`);
    const stop = () => void embedded.stop().then(() => process.exit(0));
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  },
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
