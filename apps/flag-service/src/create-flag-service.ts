import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DestinationStream } from 'pino';
import { AppModule } from './app.module';
import { ServiceConfig } from './config';
import { HttpErrorFilter } from './http/http-error.filter';
import { jsonBodyParser, registerJsonBodyParser } from './http/json-body-parser';
import { installOfrepFastPath } from './http/ofrep-fast-path';
import { connectionOptions, limitConnections } from './http/connection-limits';
import { AdminKeyGuard, ApiKeyGuard, registerKeyCheck } from './auth';
import { OfrepEvaluationService } from './services/ofrep-evaluation.service';
import { Readiness } from './services/readiness.service';
import { setupOpenApi } from './http/openapi';
import { ServiceLogger } from './observability/service-logger';
import { noteNodeRuntime } from './observability/node-runtime';
import { PolledSources } from './sources/polled-sources';

export interface FlagServiceOptions {
  /** Where JSON log lines go (tests capture them); default stdout. */
  readonly logDestination?: DestinationStream;
}

/**
 * Builds the whole service (not yet listening): the polled sources (embedded emulator), the Nest app on
 * Fastify with the hardened JSON parser, error filter, OpenAPI and shutdown hooks. main.ts and tests share it.
 */
export async function createFlagService(
  config: ServiceConfig,
  options: FlagServiceOptions = {},
): Promise<NestFastifyApplication> {
  const { http } = config;
  const logger = new ServiceLogger(config.observability.logLevel, options.logDestination);
  noteNodeRuntime(logger);
  const sources = await PolledSources.open(config.sources, logger);
  let app: NestFastifyApplication | undefined;
  try {
    const adapter = new FastifyAdapter({
      bodyLimit: http.bodyLimitBytes,
      logger: false,
      return503OnClosing: true,
      ...connectionOptions(http.connections),
    });
    app = await NestFactory.create<NestFastifyApplication>(
      AppModule.forRoot(config, sources, logger),
      adapter,
      {
        logger,
        bodyParser: false,
        abortOnError: false,
      },
    );
    const instance = app.getHttpAdapter().getInstance();
    limitConnections(app.getHttpServer(), http.connections);
    const parse = jsonBodyParser(http.jsonMaxDepth);
    registerJsonBodyParser(instance, { bodyLimit: http.bodyLimitBytes, parse });
    registerKeyCheck(instance, { evaluation: app.get(ApiKeyGuard), admin: app.get(AdminKeyGuard) });
    if (logger.pino.isLevelEnabled('debug')) {
      // Per-request lines cost throughput: only at debug.
      instance.addHook('onResponse', (request, reply, done) => {
        logger.pino.debug(
          { method: request.method, url: request.url, status: reply.statusCode, ms: reply.elapsedTime },
          'request',
        );
        done();
      });
    }
    app.useGlobalFilters(new HttpErrorFilter(logger));
    app.enableShutdownHooks();
    if (http.docsEnabled) setupOpenApi(app);
    if (config.auth.adminApiKeys.length === 0) logger.warn('ADMIN_API_KEYS is unset: admin routes are open');
    await app.init();
    await instance.ready();
    // At debug every request is logged by Fastify's hook, so the fast path (which bypasses it) stays off.
    if (http.ofrepFastPath && !logger.pino.isLevelEnabled('debug')) {
      installOfrepFastPath(app.getHttpServer(), {
        ofrep: app.get(OfrepEvaluationService),
        guard: app.get(ApiKeyGuard),
        readiness: app.get(Readiness),
        parse,
        bodyLimit: http.bodyLimitBytes,
      });
    }
    return app;
  } catch (error) {
    // Whatever did start (store connections, the embedded emulator) is closed again.
    await app?.close().catch(() => undefined);
    await sources.close();
    throw error;
  }
}
