import { Injectable, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import type { Server } from 'node:http';
import { AdminKeyGuard, ApiKeyGuard, StreamKeyGuard, registerKeyCheck } from '../auth';
import { ServiceConfig } from '../config';
import { ServiceLogger } from '../observability/service-logger';
import { OfrepEvaluationService } from '../services/ofrep-evaluation.service';
import { Readiness } from '../services/readiness.service';
import { limitConnections } from './connection-limits';
import { CorsPolicy } from './cors-policy';
import { jsonBodyParser, type JsonBodyParser, registerJsonBodyParser } from './json-body-parser';
import { OfrepHandler } from './ofrep-handler';

/**
 * What every request passes through besides the routes, set up by Nest like any provider: on module init
 * (before Fastify is ready) the connection limit, the hardened JSON parser, CORS headers (CORS_ORIGINS), the key
 * check in onRequest and, at debug, the per-request log line; on bootstrap the OFREP handler in front of
 * Fastify's listener.
 */
@Injectable()
export class HttpPipeline implements OnModuleInit, OnApplicationBootstrap {
  /** The one OFREP path (tests read its `served` count). */
  readonly ofrep: OfrepHandler;
  private readonly parse: JsonBodyParser;
  private readonly cors: CorsPolicy | null;
  /** The per-request log line, at debug only (it costs throughput): the same for OFREP and every other route. */
  private readonly logRequest:
    ((method: string, url: string, status: number, ms: number) => void) | undefined;

  constructor(
    private readonly adapter: HttpAdapterHost,
    private readonly config: ServiceConfig,
    private readonly logger: ServiceLogger,
    private readonly evaluationKeys: ApiKeyGuard,
    private readonly adminKeys: AdminKeyGuard,
    private readonly streamKeys: StreamKeyGuard,
    ofrep: OfrepEvaluationService,
    readiness: Readiness,
  ) {
    this.parse = jsonBodyParser(config.http.jsonMaxDepth);
    this.cors = CorsPolicy.fromOrigins(config.http.corsOrigins);
    const logRequest = logger.pino.isLevelEnabled('debug')
      ? (method: string, url: string, status: number, ms: number) =>
          logger.pino.debug({ method, url, status, ms }, 'request')
      : undefined;
    this.logRequest = logRequest;
    this.ofrep = new OfrepHandler({
      ofrep,
      guard: evaluationKeys,
      readiness,
      parse: this.parse,
      bodyLimit: config.http.bodyLimitBytes,
      cors: this.cors,
      onResponse:
        logRequest &&
        ((request, status, startedAt) =>
          logRequest(request.method ?? '', request.url ?? '', status, performance.now() - startedAt)),
    });
  }

  onModuleInit(): void {
    const { http } = this.config;
    if (this.config.auth.adminApiKeys.length === 0)
      this.logger.warn('ADMIN_API_KEYS is unset: admin routes are open');
    const instance = this.adapter.httpAdapter.getInstance<FastifyInstance>();
    limitConnections(this.server(), http.connections);
    registerJsonBodyParser(instance, { bodyLimit: http.bodyLimitBytes, parse: this.parse });
    // Before the key check: a 401 must be readable by the page too. Set on the raw response, so that routes
    // writing it themselves (SSE) carry them as well.
    const { cors } = this;
    if (cors !== null)
      instance.addHook('onRequest', (request, reply, done) => {
        const headers = cors.responseHeaders(request.headers.origin);
        for (const name in headers) reply.raw.setHeader(name, headers[name]);
        done();
      });
    registerKeyCheck(instance, {
      evaluation: this.evaluationKeys,
      stream: this.streamKeys,
      admin: this.adminKeys,
    });
    const { logRequest } = this;
    if (logRequest)
      instance.addHook('onResponse', (request, reply, done) => {
        logRequest(request.method, request.url, reply.statusCode, reply.elapsedTime);
        done();
      });
  }

  onApplicationBootstrap(): void {
    this.ofrep.install(this.server());
  }

  private server(): Server {
    return this.adapter.httpAdapter.getHttpServer() as Server;
  }
}
