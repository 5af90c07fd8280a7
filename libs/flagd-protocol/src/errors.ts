/** Coded errors of the flagd protocols; every code is listed in docs/errors.md. */
export abstract class FlagdProtocolError extends Error {
  abstract readonly code: string;
}

/** A flagd listener could not bind its port (in use, no permission): the service does not start. */
export class FlagdListenFailedError extends FlagdProtocolError {
  readonly code = 'FLAGFLEET_FLAGD_LISTEN_FAILED';
  constructor(service: string, port: number, reason: string) {
    super(`flagd ${service} port ${port} could not be opened: ${reason}`);
    this.name = 'FlagdListenFailedError';
  }
}

/**
 * The selector (`flagd-selector` header or the deprecated request field) names no source this service
 * serves flags for: answered as INVALID_ARGUMENT, as flagd answers a bad selector.
 */
export class FlagdSelectorInvalidError extends FlagdProtocolError {
  readonly code = 'FLAGFLEET_FLAGD_SELECTOR_INVALID';
  constructor(reason: string) {
    super(`invalid selector: ${reason}`);
    this.name = 'FlagdSelectorInvalidError';
  }
}
