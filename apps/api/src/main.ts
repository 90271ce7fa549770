import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { readConfig, startBackgroundWork, startRuntime } from '@erbm/platform';
import { createApi } from './bootstrap';

/**
 * The API. In the embedded or in-process mode (no PostgreSQL or no Redis, docs/operations.md) there is no separate
 * worker: this process also follows the projections and runs the jobs.
 */
async function main(): Promise<void> {
  const runtime = await startRuntime();
  Logger.log(`\n${runtime.describe()}`, 'ERBM');
  const config = readConfig();
  const app = await createApi();
  // Stopped before the pools close by CoreModule's BackgroundWorkRegistry.
  if (runtime.jobs === 'in-process') await startBackgroundWork(app, new Logger('Background'));
  await app.listen(config.port, '0.0.0.0');
  Logger.log(`API on http://localhost:${config.port} — OpenAPI at /docs — database ${new URL(config.databaseUrl).pathname.slice(1)}`, 'ERBM');
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
