import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { Code, ConnectError } from '@connectrpc/connect';
import type { FlagdProtocolOptions } from '../flagd-options';
import { SELECTOR_HEADER } from '../selection/source-selector';
import { authorizationError } from './call-authorization';
import { grpcFrame } from './grpc-frame';
import { outcomeOf } from './rpc-labels';
import { UnaryRequestBody } from './unary-request-body';
import type { UnaryRoute } from './unary-routes';

export type UnaryCallOptions = Pick<
  FlagdProtocolOptions,
  'authorize' | 'metrics' | 'maxRequestBytes' | 'maxResponseBytes'
>;

// What connect-node answers, so that clients see one server whichever path a call takes.
const RESPONSE_HEADERS = { 'content-type': 'application/grpc+proto' };
const OK_TRAILERS = { 'grpc-status': '0' };

/**
 * Serves one unary gRPC call: reads its one message, then — in connect-node's order — decodes it, checks
 * the API key, evaluates, and answers headers, the message and `grpc-status` trailers; errors as trailers
 * only (`grpc-status`, `grpc-message`). Calls are counted by method and outcome from the key check on,
 * as connect-node's interceptor counts them; a body refused before that (size, framing, decoding) is not.
 *
 * A `grpc-timeout` arms one timer: a call whose message has not arrived by then is answered
 * DEADLINE_EXCEEDED. A call the client cancels (RST_STREAM) is dropped without an answer.
 */
export function serveUnaryCall(
  route: UnaryRoute,
  timeoutMs: number | undefined,
  request: Http2ServerRequest,
  response: Http2ServerResponse,
  options: UnaryCallOptions,
): void {
  const { stream, headers } = request;
  const body = new UnaryRequestBody(options.maxRequestBytes);
  let settled = false;
  const settle = (): boolean => {
    if (settled) return false;
    settled = true;
    clearTimeout(deadline);
    return true;
  };
  const fail = (error: unknown): void => {
    if (settle()) answer(response, asStatus(error));
  };
  const deadline =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => fail(new ConnectError('the operation timed out', Code.DeadlineExceeded)), timeoutMs);
  // The raw stream, not the compat request: one Readable less per call.
  stream.on('data', (chunk: Buffer) => {
    if (settled) return;
    try {
      body.push(chunk);
    } catch (error) {
      fail(error);
    }
  });
  stream.once('end', () => {
    if (!settle()) return;
    let call: (selector: string | null) => Uint8Array;
    try {
      call = route.decode(body.message());
    } catch (error) {
      answer(response, asStatus(error));
      return;
    }
    answer(response, evaluate(route, call, headers, options));
  });
  stream.once('close', settle);
}

/** The counted part of a call: key check, evaluation, the answer's size limit. */
function evaluate(
  route: UnaryRoute,
  call: (selector: string | null) => Uint8Array,
  headers: Http2ServerRequest['headers'],
  options: UnaryCallOptions,
): Uint8Array | ConnectError {
  let outcome = 'ok';
  try {
    const refused = authorizationError(options.authorize, headers);
    if (refused !== undefined) throw refused;
    const message = call(selectorOf(headers));
    if (message.length > options.maxResponseBytes)
      throw new ConnectError(
        `message size ${message.length} is larger than configured writeMaxBytes ${options.maxResponseBytes}`,
        Code.ResourceExhausted,
      );
    return message;
  } catch (error) {
    outcome = outcomeOf(error);
    return asStatus(error);
  } finally {
    options.metrics?.rpcFinished(route.method, outcome);
  }
}

function selectorOf(headers: Http2ServerRequest['headers']): string | null {
  const value = headers[SELECTOR_HEADER];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

// connect-node answers anything but a ConnectError as an internal error, without its message.
function asStatus(error: unknown): ConnectError {
  return error instanceof ConnectError ? error : new ConnectError('internal error', Code.Internal);
}

/** Headers, then the message and `grpc-status: 0`, or the error's status; nothing to a closed stream. */
function answer(response: Http2ServerResponse, outcome: Uint8Array | ConnectError): void {
  if (response.stream.destroyed || response.stream.closed) return;
  response.writeHead(200, RESPONSE_HEADERS);
  if (outcome instanceof ConnectError) {
    response.addTrailers({
      'grpc-status': String(outcome.code),
      'grpc-message': encodeURIComponent(outcome.rawMessage),
    });
    response.end();
    return;
  }
  response.addTrailers(OK_TRAILERS);
  response.end(grpcFrame(outcome));
}
