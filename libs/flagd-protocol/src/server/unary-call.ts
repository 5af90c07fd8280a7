import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { ConnectError } from '@connectrpc/connect';
import { SELECTOR_HEADER } from '../selection/source-selector';
import { asStatus, deadlineExceeded } from './call-statuses';
import { grpcFrame } from './grpc-frame';
import { grpcMessage } from './grpc-message';
import type { UnaryCallPolicy } from './unary-call-policy';
import { UnaryRequestBody } from './unary-request-body';
import type { UnaryRoute } from './unary-routes';

// What connect-node answers, so that clients see one server whichever path a call takes.
const RESPONSE_HEADERS = { 'content-type': 'application/grpc+proto' };
const OK_TRAILERS = { 'grpc-status': '0' };

/**
 * Serves one unary gRPC call under the call policy: reads its one message within the policy's limit, then — in
 * connect-node's order — decodes it, admits it, evaluates, finishes it and answers headers, the message and
 * `grpc-status` trailers; errors as trailers only (`grpc-status`, `grpc-message`).
 *
 * The policy's deadline arms one timer: a call whose message has not arrived by then is answered
 * DEADLINE_EXCEEDED, a malformed `grpc-timeout` at once. A call the client cancels (RST_STREAM) is dropped
 * without an answer.
 */
export function serveUnaryCall(
  route: UnaryRoute,
  request: Http2ServerRequest,
  response: Http2ServerResponse,
  policy: UnaryCallPolicy,
): void {
  const { stream, headers } = request;
  let timeoutMs: number | undefined;
  try {
    const timeout = headers['grpc-timeout'];
    timeoutMs = policy.deadlineMs(timeout === undefined ? undefined : String(timeout));
  } catch (error) {
    answer(response, asStatus(error));
    return;
  }
  const body = new UnaryRequestBody(policy.readMaxBytes);
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
    timeoutMs === undefined ? undefined : setTimeout(() => fail(deadlineExceeded()), timeoutMs);
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
    let call: ReturnType<UnaryRoute['decode']>;
    try {
      call = route.decode(body.message());
    } catch (error) {
      answer(response, asStatus(error));
      return;
    }
    const outcome = evaluate(route, call, headers, policy);
    if (outcome instanceof Promise) void outcome.then((settled) => answer(response, settled));
    else answer(response, outcome);
  });
  stream.once('close', settle);
}

/** The admitted part of a call: admission, evaluation, finish. */
function evaluate(
  route: UnaryRoute,
  call: ReturnType<UnaryRoute['decode']>,
  headers: Http2ServerRequest['headers'],
  policy: UnaryCallPolicy,
): Uint8Array | ConnectError | Promise<Uint8Array | ConnectError> {
  const refused = policy.admit('fast-path', route.method, headers);
  if (refused !== undefined) return refused;
  const finish = (message: Uint8Array): Uint8Array | ConnectError =>
    policy.finish(route.method, message.length) ?? message;
  const fail = (error: unknown): ConnectError => policy.fail(route.method, error);
  let message: Uint8Array | Promise<Uint8Array>;
  try {
    message = call(selectorOf(headers));
  } catch (error) {
    return fail(error);
  }
  return message instanceof Promise ? message.then(finish, fail) : finish(message);
}

function selectorOf(headers: Http2ServerRequest['headers']): string | null {
  const value = headers[SELECTOR_HEADER];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Headers, then the message and `grpc-status: 0`, or the error's status; nothing to a closed stream. */
function answer(response: Http2ServerResponse, outcome: Uint8Array | ConnectError): void {
  if (response.stream.destroyed || response.stream.closed) return;
  response.writeHead(200, RESPONSE_HEADERS);
  if (outcome instanceof ConnectError) {
    response.addTrailers({
      'grpc-status': String(outcome.code),
      'grpc-message': grpcMessage(outcome.rawMessage),
    });
    response.end();
    return;
  }
  response.addTrailers(OK_TRAILERS);
  response.end(grpcFrame(outcome));
}
