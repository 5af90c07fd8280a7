import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DestinationStream } from 'pino';
import { AppModule } from './app.module';
import { ServiceConfig } from './config';
import type { OfrepHandler } from './http/ofrep-handler';
import { HttpPipeline } from './http/http-pipeline';
import { connectionOptions } from './http/connection-limits';
import { setupOpenApi } from './http/openapi';
import { ServiceLogger } from './observability/service-logger';
import { noteNodeRuntime } from './observability/node-runtime';
import { readCertificate } from './tls/serving-certificate';

/** The OFREP handler of a service built here: tests read its `served` count. */
export function ofrepHandlerOf(app: NestFastifyApplication): OfrepHandler {
  return app.get(HttpPipeline).ofrep;
}

export interface FlagServiceOptions {
  /** Where JSON log lines go (tests capture them); default stdout. */
  readonly logDestination?: DestinationStream;
}

/**
 * Builds the whole service (not yet listening): the logger, then the Nest app on Fastify, whose providers
 * set up everything else (the polled sources, the error filter, HttpPipeline's parser, key check and OFREP
 * handler, the shutdown order); the OpenAPI document is added before init. main.ts and tests share it.
 */
export async function createFlagService(
  config: ServiceConfig,
  options: FlagServiceOptions = {},
): Promise<NestFastifyApplication> {
  const { http } = config;
  const logger = new ServiceLogger(config.observability.logLevel, options.logDestination);
  noteNodeRuntime(logger);
  let app: NestFastifyApplication | undefined;
  try {
    const adapter = new FastifyAdapter({
      bodyLimit: http.bodyLimitBytes,
      logger: false,
      return503OnClosing: true,
      ...connectionOptions(http.connections),
      ...(http.tls === null ? {} : { https: readCertificate(http.tls) }),
    });
    app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, logger), adapter, {
      logger,
      bodyParser: false,
      abortOnError: false,
    });
    if (http.docsEnabled) setupOpenApi(app);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    return app;
  } catch (error) {
    // Whatever did start (store connections, the embedded emulator) is closed again.
    await app?.close().catch(() => undefined);
    throw error;
  }
}
