import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

const SWAGGER_UI_DIR = dirname(require.resolve('swagger-ui-dist/package.json'));

/** Only these files of swagger-ui-dist are served: no path from the URL reaches the file system. */
const ASSETS: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
};

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>flagfleet API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/swagger-ui-standalone-preset.js"></script>
<script>window.ui = SwaggerUIBundle({ url: '/docs-json', dom_id: '#ui', presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: 'StandaloneLayout' });</script>
</body></html>`;

/**
 * The Swagger UI at `/docs` (the document itself is `/docs-json`, served by SwaggerModule). Serving the
 * three assets here avoids @fastify/static, which SwaggerModule's own UI needs.
 */
@ApiExcludeController()
@Controller('docs')
export class DocsController {
  private readonly cache = new Map<string, Buffer>();

  @Get()
  page(@Res() reply: FastifyReply): void {
    reply.type('text/html; charset=utf-8').send(PAGE);
  }

  @Get(':asset')
  async asset(@Param('asset') asset: string, @Res() reply: FastifyReply): Promise<void> {
    const type = Object.hasOwn(ASSETS, asset) ? ASSETS[asset] : undefined;
    if (!type) throw new NotFoundException(`no such asset ${asset}`);
    let content = this.cache.get(asset);
    if (!content) {
      content = await readFile(join(SWAGGER_UI_DIR, asset));
      this.cache.set(asset, content);
    }
    reply.type(type).header('cache-control', 'public, max-age=3600').send(content);
  }
}
