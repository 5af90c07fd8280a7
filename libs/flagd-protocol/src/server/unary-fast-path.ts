import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import type { FlagdRequestListener } from './flagd-listener';
import { serveUnaryCall } from './unary-call';
import type { UnaryCallPolicy } from './unary-call-policy';
import type { UnaryRoute } from './unary-routes';

// The common case of a unary gRPC call, as every flagd provider sends it: binary protobuf, uncompressed.
const GRPC_PROTO = /^application\/grpc(?:\+proto)?$/i;

/**
 * The request listener of a flagd port. connect-node spends most of a unary call's CPU on its per-call
 * machinery (async-iterable pipelines, linked abort signals, a DOMException per call), about ten times the
 * evaluation (docs/benchmarks.md, "flagd protocols"); so every unary gRPC call of a routed method is served
 * directly (unary-call.ts). Streams, the Connect and gRPC-web protocols, the JSON codec, compressed requests,
 * HTTP/1.1 and unknown paths go to connect-node. Both transports run the same call policy
 * (unary-call-policy.ts), which counts which of them served each call.
 */
export function unaryFastPath(
  routes: ReadonlyMap<string, UnaryRoute>,
  policy: UnaryCallPolicy,
  fallback: FlagdRequestListener,
): FlagdRequestListener {
  return (anyRequest, response) => {
    if (anyRequest.httpVersionMajor !== 2) {
      fallback(anyRequest, response);
      return;
    }
    // An HTTP/2 request comes with its HTTP/2 response (node's compat API).
    const request = anyRequest as Http2ServerRequest;
    const { headers } = request;
    const route = routes.get(headers[':path'] ?? '');
    if (
      route === undefined ||
      request.method !== 'POST' ||
      !GRPC_PROTO.test(headers['content-type'] ?? '') ||
      (headers['grpc-encoding'] !== undefined && headers['grpc-encoding'] !== 'identity')
    ) {
      fallback(request, response);
      return;
    }
    serveUnaryCall(route, request, response as Http2ServerResponse, policy);
  };
}
