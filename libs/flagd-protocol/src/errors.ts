import { CodedError } from '@flagfleet/core';

/** Coded errors of the flagd protocols; every code is listed in docs/errors.md. */

/** A flagd listener could not bind its port (in use, no permission): the service does not start. */
export class FlagdListenFailedError extends CodedError {
  readonly code = 'FLAGFLEET_FLAGD_LISTEN_FAILED';
  readonly status = 500;
  constructor(service: string, port: number, reason: string) {
    super(`flagd ${service} port ${port} could not be opened: ${reason}`);
    this.name = 'FlagdListenFailedError';
  }
}

/**
 * The selector (`flagd-selector` header or the deprecated request field) names no source this service
 * serves flags for: answered as gRPC INVALID_ARGUMENT, as flagd answers a bad selector.
 */
export class FlagdSelectorInvalidError extends CodedError {
  readonly code = 'FLAGFLEET_FLAGD_SELECTOR_INVALID';
  readonly status = 400;
  constructor(reason: string) {
    super(`invalid selector: ${reason}`);
    this.name = 'FlagdSelectorInvalidError';
  }
}
