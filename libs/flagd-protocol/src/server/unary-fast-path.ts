import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import type { connectNodeAdapter } from '@connectrpc/connect-node';
import { serveUnaryCall, type UnaryCallOptions } from './unary-call';
import type { UnaryRoute } from './unary-routes';

type Listener = (request: Http2ServerRequest, response: Http2ServerResponse) => void;

// The common case of a unary gRPC call, as every flagd provider sends it: binary protobuf, uncompressed.
const GRPC_PROTO = /^application\/grpc(?:\+proto)?$/i;
// connect-node's grammar of grpc-timeout; anything else goes to connect-node, which refuses it.
const TIMEOUT = /^(\d{1,8})([HMSmun])$/;
const UNIT_MS: Record<string, number> = { H: 3_600_000, M: 60_000, S: 1_000, m: 1, u: 1e-3, n: 1e-6 };

/**
 * The request listener of the evaluation port. connect-node spends most of a unary call's CPU on its
 * per-call machinery (async-iterable pipelines, linked abort signals, a DOMException per call), about
 * ten times the evaluation (docs/benchmarks.md, "flagd protocols"); so unary gRPC calls of the routed
 * methods are served directly (unary-call.ts). Everything else — streams, the Connect and gRPC-web
 * protocols, JSON, compressed requests, HTTP/1.1, unknown paths — goes to connect-node as before.
 */
export function unaryFastPath(
  routes: ReadonlyMap<string, UnaryRoute>,
  options: UnaryCallOptions,
  fallback: ReturnType<typeof connectNodeAdapter>,
): Listener {
  return (request, response) => {
    const { headers } = request;
    const route = request.httpVersionMajor === 2 ? routes.get(headers[':path'] ?? '') : undefined;
    const timeout = headers['grpc-timeout'];
    const parsed = timeout === undefined ? undefined : TIMEOUT.exec(String(timeout));
    if (
      route === undefined ||
      request.method !== 'POST' ||
      !GRPC_PROTO.test(headers['content-type'] ?? '') ||
      (headers['grpc-encoding'] !== undefined && headers['grpc-encoding'] !== 'identity') ||
      parsed === null
    ) {
      fallback(request, response);
      return;
    }
    const timeoutMs = parsed === undefined ? undefined : Number(parsed[1]) * UNIT_MS[parsed[2]];
    serveUnaryCall(route, timeoutMs, request, response, options);
  };
}
