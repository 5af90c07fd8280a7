import { Code, ConnectError } from '@connectrpc/connect';
import type { FlagdProtocolOptions } from '../flagd-options';

/**
 * The API key check of every call (the same keys as HTTP: `authorization: Bearer <key>` or `x-api-key` in
 * the gRPC metadata): the status to answer, or undefined when the call may pass.
 */
export function authorizationError(
  authorize: FlagdProtocolOptions['authorize'],
  headers: Readonly<Record<string, string | string[] | undefined>>,
): ConnectError | undefined {
  if (authorize === undefined) return undefined;
  switch (authorize(headers)) {
    case 'ok':
      return undefined;
    case 'unauthenticated':
      return new ConnectError('an API key is required', Code.Unauthenticated);
    case 'permission-denied':
      return new ConnectError('the API key is not accepted', Code.PermissionDenied);
  }
}
