import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { readConfig } from '@erbm/platform';
import { createApi } from './bootstrap';

async function main(): Promise<void> {
  const config = readConfig();
  const app = await createApi();
  await app.listen(config.port, '0.0.0.0');
  Logger.log(`API on http://localhost:${config.port} — OpenAPI at /docs — database ${new URL(config.databaseUrl).pathname.slice(1)}`, 'ERBM');
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
