import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** The OpenAPI document of every route at `/docs-json` (the UI at `/docs` is DocsController). */
export function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('flagfleet')
    .setDescription(
      'Feature flags from AWS AppConfig for a fleet of services: OFREP and AppConfig-Agent-compatible evaluation, ' +
        'health, status, metrics. Evaluation routes need `API_KEYS` when set, admin routes `ADMIN_API_KEYS`.',
    )
    .setVersion('0.1.0')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'ApiKeyAuth')
    .addBearerAuth({ type: 'http', scheme: 'bearer' }, 'BearerAuth')
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, config), {
    ui: false,
    raw: ['json'],
  });
}
