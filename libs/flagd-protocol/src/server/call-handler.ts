import type { ConnectRouter } from '@connectrpc/connect';
import { connectNodeAdapter } from '@connectrpc/connect-node';
import { callInterceptor } from './call-interceptor';
import type { FlagdRequestListener } from './flagd-listener';
import { specGrpcMessages } from './grpc-message';
import type { UnaryCallPolicy } from './unary-call-policy';
import { unaryFastPath } from './unary-fast-path';
import type { UnaryRoute } from './unary-routes';

export interface CallHandlerOptions {
  readonly policy: UnaryCallPolicy;
  /** Every service, for connect-node. */
  readonly routes: (router: ConnectRouter) => void;
  /** The unary methods the fast path serves (an empty map: connect-node alone). */
  readonly unary: ReadonlyMap<string, UnaryRoute>;
  readonly shutdownSignal?: AbortSignal;
}

/**
 * connect-node configured by the call policy: its limits, the policy's interceptor on every call, and
 * `grpc-message` spelled as the fast path spells it.
 */
export function connectTransport(options: Omit<CallHandlerOptions, 'unary'>): FlagdRequestListener {
  const { policy } = options;
  const connect = connectNodeAdapter({
    routes: options.routes,
    interceptors: [callInterceptor(policy)],
    readMaxBytes: policy.readMaxBytes,
    writeMaxBytes: policy.writeMaxBytes,
    shutdownSignal: options.shutdownSignal,
  });
  return (request, response) => {
    specGrpcMessages(response);
    connect(request, response);
  };
}

/**
 * The request listener of a flagd port: the unary gRPC fast path before connect-node, both built here from one
 * call policy, so that a listener cannot have one transport without the policy's auth, limits and counts.
 */
export function callHandler(options: CallHandlerOptions): FlagdRequestListener {
  return unaryFastPath(options.unary, options.policy, connectTransport(options));
}
