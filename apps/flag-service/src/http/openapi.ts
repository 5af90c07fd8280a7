import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { OFREP_MODELS, withOfrepRoutes } from './ofrep-routes';
import { OPENAPI_SCHEMAS, problemBody } from './openapi-schemas';

type Operation = NonNullable<OpenAPIObject['paths'][string]['get']>;

/**
 * The OpenAPI document of every route at `/docs-json` (the UI at `/docs` is DocsController): the Nest routes'
 * decorators, and the OFREP routes from OFREP_ROUTES, the object their handler routes by. What every route
 * of a kind answers is added here once (withCommonResponses); apps/flag-service/test/openapi-coverage.spec.ts
 * sends each route the requests that draw each of its statuses and checks the answers against this document.
 */
export function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('flagfleet')
    .setDescription(
      'Feature flags from AWS AppConfig for a fleet of services: OFREP and AppConfig-Agent-compatible evaluation, ' +
        'health, status, metrics. Evaluation routes need `API_KEYS` when set, admin routes `ADMIN_API_KEYS`.',
    )
    .setVersion('0.1.0')
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: 'X-API-Key',
        description: 'a key of API_KEYS (ADMIN_API_KEYS on admin routes)',
      },
      'ApiKeyAuth',
    )
    // Keys are opaque strings compared as they are, not JWTs: no bearerFormat (DocumentBuilder's default says JWT).
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: undefined,
        description: '`Authorization: Bearer <key>`, a key of API_KEYS (ADMIN_API_KEYS on admin routes)',
      },
      'BearerAuth',
    )
    .build();
  SwaggerModule.setup(
    'docs',
    app,
    () => openApiDocument(SwaggerModule.createDocument(app, config, { extraModels: OFREP_MODELS })),
    {
      ui: false,
      raw: ['json'],
    },
  );
}

/** The Nest routes' document completed: the OFREP operations, the shared schemas, the common answers. */
export function openApiDocument(document: OpenAPIObject): OpenAPIObject {
  withOfrepRoutes(document);
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ...OPENAPI_SCHEMAS },
  };
  for (const [path, item] of Object.entries(document.paths))
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      const operation = item[method];
      if (operation) withCommonResponses(operation, path.startsWith('/ofrep/'));
    }
  return document;
}

/**
 * Answers every route of a kind gives, so that no route's decorators can forget them: a route that names a
 * security scheme answers 401 (no key) and 403 (wrong key) without a body, before reading any body (the key
 * check is Fastify's onRequest hook); a Nest route with a request body answers Fastify's refusals of it.
 * OFREP's routes list their own (OFREP_ROUTES: OFREP-shaped bodies).
 */
function withCommonResponses(operation: Operation, ofrep: boolean): void {
  const responses = operation.responses;
  if (operation.security?.length) {
    responses['401'] ??= { description: 'No key presented (no body; `WWW-Authenticate: Bearer`)' };
    responses['403'] ??= { description: 'The key presented is not one of the route’s keys (no body)' };
  }
  if (operation.requestBody && !ofrep) {
    responses['400'] ??= { description: 'Body invalid', ...problemBody() };
    responses['413'] ??= { description: 'Body larger than BODY_LIMIT_BYTES', ...problemBody() };
    responses['415'] ??= { description: 'Body not JSON', ...problemBody() };
  }
}
