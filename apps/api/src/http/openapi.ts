import { type INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { API_KEY_SCHEME } from './api-docs';
import { InputContract } from './input-contract';

/**
 * The OpenAPI document of the API (served at /docs/openapi.json): two security schemes — `bearer`
 * (`Authorization: Bearer <API key or JWT>`) and `api-key` (`X-API-Key: <API key>`), either one on every operation
 * (`ApiAuth` on the controllers); public operations (`/health`) declare `security: []`.
 */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('ERBM — suivi du programme (API)')
    .setDescription(
      'System of record of the Engagement pour le Renouveau du Bassin Minier. Commands append events; read models answer as of a business date (asOf) and as known at a time (knownAt). Errors are application/problem+json (RFC 9457). Authenticate with `Authorization: Bearer <API key or token>` or `X-API-Key: <API key>`. See docs/api.md.',
    )
    .setVersion('0.1.0')
    .addServer('/', 'This server')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'erbm_<keyId>_<secret> or JWT',
      description: 'API key erbm_<keyId>_<secret> (from the délégation) or an OIDC access token (JWT) of the configured issuer with an erbm_org claim',
    })
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'API key erbm_<keyId>_<secret>, for clients that cannot set Authorization' }, API_KEY_SCHEME)
    .build();
  return SwaggerModule.createDocument(app, config);
}

/**
 * Serves Swagger UI at /docs and the document at /docs/openapi.json, and hands the same document to the
 * `InputContract` that refuses undeclared query parameters and bodies on every operation (ADR 0017).
 */
export function setupOpenApi(app: INestApplication): void {
  const document = openApiDocument(app);
  app.get(InputContract).load(document);
  SwaggerModule.setup('docs', app, () => document, { jsonDocumentUrl: 'docs/openapi.json' });
}
