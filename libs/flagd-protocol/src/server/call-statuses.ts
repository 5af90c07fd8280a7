import { Code, ConnectError } from '@connectrpc/connect';

/*
 * The statuses of the call policy that a transport, not an evaluation, gives: connect-node's texts, so that a
 * client sees one server whichever transport serves its call (unary-fast-path.spec compares both on the wire).
 */

/** A message over a limit: `readMaxBytes` for a request, `writeMaxBytes` for an answer. */
export function messageTooLarge(
  size: number,
  limit: number,
  direction: 'readMaxBytes' | 'writeMaxBytes',
): ConnectError {
  return new ConnectError(
    `message size ${size} is larger than configured ${direction} ${limit}`,
    Code.ResourceExhausted,
  );
}

/** The call's `grpc-timeout` passed before its message arrived. */
export function deadlineExceeded(): ConnectError {
  return new ConnectError('the operation timed out', Code.DeadlineExceeded);
}

/** A `grpc-timeout` that does not follow the gRPC grammar (1–8 digits and a unit). */
export function invalidTimeout(value: string): ConnectError {
  return new ConnectError(`protocol error: invalid grpc timeout value: ${value}`, Code.InvalidArgument);
}

/** Anything thrown that is not a status: answered without its message, as connect-node does. */
export function asStatus(error: unknown): ConnectError {
  return error instanceof ConnectError ? error : new ConnectError('internal error', Code.Internal);
}
