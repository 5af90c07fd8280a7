import type { Server } from 'node:http';
import type { FastifyHttpOptions } from 'fastify';
import type { ConnectionLimits } from '../config';

/**
 * Fastify's server options for `limits`. They act on the node:http server itself, so they also bound the
 * OFREP fast path. Node's request and headers timeouts only cover receiving the request: once it is
 * complete, a long answer (an SSE stream) is not cut by them; only the idle timeout applies, and SSE
 * keep-alives are traffic. Node checks the two timeouts every `connectionsCheckingInterval`
 * (default 30 s): checking every second keeps the cut-off near the bound.
 */
export function connectionOptions(limits: ConnectionLimits): FastifyHttpOptions<Server> {
  return {
    connectionTimeout: limits.idleTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    maxRequestsPerSocket: limits.maxRequestsPerSocket,
    http: {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
    },
  };
}

/** What Fastify's options do not cover. */
export function limitConnections(server: Server, limits: ConnectionLimits): void {
  server.maxConnections = limits.maxConnections;
}
