import { codedError } from '@flagfleet/core';

/** Coded errors of the flagd protocols; every code is listed in docs/errors.md. */

/** A flagd listener could not bind its port (in use, no permission): the service does not start. */
export class FlagdListenFailedError extends codedError(
  'FLAGFLEET_FLAGD_LISTEN_FAILED',
  500,
  (service: string, port: number, reason: string) =>
    `flagd ${service} port ${port} could not be opened: ${reason}`,
) {}

/**
 * The selector (`flagd-selector` header or the deprecated request field) has a key flagd does not know, or is
 * too long: answered as gRPC INVALID_ARGUMENT, as flagd answers a bad selector (one that matches nothing is not
 * an error: it selects no flags).
 */
export class FlagdSelectorInvalidError extends codedError(
  'FLAGFLEET_FLAGD_SELECTOR_INVALID',
  400,
  (reason: string) => `invalid selector: ${reason}`,
) {}
