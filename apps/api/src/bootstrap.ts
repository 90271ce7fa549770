import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { type AppConfig, LOGGER, METRICS, type Metrics, NestPinoLogger, observeHttp } from '@erbm/platform';
import { type Logger } from 'pino';
import { AppModule } from './app.module';
import { setupOpenApi } from './http/openapi';
import { bodyParserErrors, requireJsonBody, screenBody } from './http/request-body';
import { importBody } from './imports/import-body';

/** Largest accepted request body (JSON); larger ones get 413 problem+json. */
export const BODY_LIMIT = '256kb';

/**
 * Creates the API application (used by main.ts and the e2e tests): JSON logs through the app's pino logger (level
 * `LOG_LEVEL`; `logger: false` silences them), correlation id, request span and latency metric for every request
 * (`observeHttp`, first), JSON bodies only (415 otherwise), body limit (413), malformed JSON as
 * REQUEST.MALFORMED_JSON, OpenAPI at /docs (JSON at /docs/openapi.json), shutdown hooks. `options.config` is the
 * configuration to run on (the e2e tests give each API its own); without it the application reads the environment
 * (`readConfig()`).
 */
export async function createApi(options: { logger?: false; config?: AppConfig } = {}): Promise<INestApplication> {
  // Nest's start-up messages wait in a buffer until the JSON logger is in place.
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(options.config), { bodyParser: false, bufferLogs: true });
  const log = app.get<Logger>(LOGGER);
  if (options.logger === false) log.level = 'silent';
  app.useLogger(new NestPinoLogger(log));
  app.use(observeHttp(log, app.get<Metrics>(METRICS)));
  // POST /imports alone takes a raw CSV / JSON Lines file (10 MB); everything else is JSON (256 kB).
  app.use(importBody);
  app.use(requireJsonBody);
  app.useBodyParser('json', { limit: BODY_LIMIT, strict: true });
  app.use(bodyParserErrors);
  app.use(screenBody);
  app.disable('x-powered-by');
  // ETags are the aggregates' versions, set by the controllers; no automatic body-hash ETags.
  app.set('etag', false);
  app.enableShutdownHooks();
  setupOpenApi(app);
  return app;
}
