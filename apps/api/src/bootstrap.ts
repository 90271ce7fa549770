import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { type AppConfig } from '@erbm/platform';
import { AppModule } from './app.module';
import { bodyParserErrors, requireJsonBody, screenBody } from './http/request-body';
import { importBody } from './imports/import-body';

/** Largest accepted request body (JSON); larger ones get 413 problem+json. */
export const BODY_LIMIT = '256kb';

/**
 * Creates the API application (used by main.ts and the e2e tests): JSON bodies only (415 otherwise), body limit (413),
 * malformed JSON as REQUEST.MALFORMED_JSON, OpenAPI at /docs (JSON at /docs/openapi.json), shutdown hooks.
 * `options.config` is the configuration to run on (the e2e tests give each API its own); without it the application
 * reads the environment (`readConfig()`).
 */
export async function createApi(options: { logger?: false | ('error' | 'warn' | 'log')[]; config?: AppConfig } = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(options.config), { bodyParser: false, logger: options.logger ?? ['error', 'warn', 'log'] });
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
  const config = new DocumentBuilder()
    .setTitle('ERBM — suivi du programme (API)')
    .setDescription(
      'System of record of the Engagement pour le Renouveau du Bassin Minier. Commands append events; read models answer as of a business date (asOf) and as known at a time (knownAt). Errors are application/problem+json (RFC 9457). See docs/api.md.',
    )
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'API key erbm_<keyId>_<secret> (from the délégation) or an OIDC access token (JWT) of the configured issuer with an erbm_org claim' })
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, config), { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}
