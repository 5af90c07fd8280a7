import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DestinationStream } from 'pino';
import { AppModule } from './app.module';
import { ServiceConfig } from './config';
import { HttpErrorFilter } from './http/http-error.filter';
import { registerJsonBodyParser } from './http/json-body-parser';
import { setupOpenApi } from './http/openapi';
import { ServiceLogger } from './observability/service-logger';
import { ServiceRuntime } from './runtime/service-runtime';

export interface FlagServiceOptions {
  /** Where JSON log lines go (tests capture them); default stdout. */
  readonly logDestination?: DestinationStream;
}

/**
 * Builds the whole service (not yet listening): runtime (store, sources, embedded emulator), Nest app on
 * Fastify with the hardened JSON parser, error filter, OpenAPI and shutdown hooks. main.ts and tests share it.
 */
export async function createFlagService(config: ServiceConfig, options: FlagServiceOptions = {}): Promise<NestFastifyApplication> {
  const logger = new ServiceLogger(config.logLevel, options.logDestination);
  const runtime = await ServiceRuntime.start(config, logger);
  try {
    const adapter = new FastifyAdapter({ bodyLimit: config.bodyLimitBytes, logger: false, return503OnClosing: true });
    const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(runtime), adapter, {
      logger,
      bodyParser: false,
      abortOnError: false,
    });
    const instance = app.getHttpAdapter().getInstance();
    registerJsonBodyParser(instance, { bodyLimit: config.bodyLimitBytes, maxDepth: config.jsonMaxDepth });
    if (logger.pino.isLevelEnabled('debug')) {
      // Per-request lines cost throughput: only at debug.
      instance.addHook('onResponse', (request, reply, done) => {
        logger.pino.debug({ method: request.method, url: request.url, status: reply.statusCode, ms: reply.elapsedTime }, 'request');
        done();
      });
    }
    app.useGlobalFilters(new HttpErrorFilter(logger));
    app.enableShutdownHooks();
    if (config.docsEnabled) setupOpenApi(app);
    if (config.adminApiKeys.length === 0) logger.warn({}, 'ADMIN_API_KEYS is unset: admin routes are open');
    await app.init();
    await instance.ready();
    return app;
  } catch (error) {
    await runtime.close();
    throw error;
  }
}
