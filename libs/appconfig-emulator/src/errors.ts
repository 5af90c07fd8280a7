/** Coded errors of the emulator's own surface (admin API, folder mode); every code is listed in docs/errors.md. */
export abstract class EmulatorError extends Error {
  abstract readonly code: string;
  /** HTTP status when the error reaches an admin API answer. */
  abstract readonly status: number;
}

/** An admin request was malformed (bad JSON, unknown fault type, identifier out of 1–128 chars). */
export class AdminRequestInvalidError extends EmulatorError {
  readonly code = 'FLAGFLEET_EMULATOR_REQUEST_INVALID';
  readonly status = 400;
  constructor(detail: string) {
    super(`invalid emulator request: ${detail}`);
    this.name = 'AdminRequestInvalidError';
  }
}

/** A request body exceeded its limit (2 MiB for configuration content, as AppConfig's hosted store). */
export class PayloadTooLargeError extends EmulatorError {
  readonly code = 'FLAGFLEET_EMULATOR_PAYLOAD_TOO_LARGE';
  readonly status = 413;
  constructor(readonly limitBytes: number) {
    super(`request body exceeds ${limitBytes} bytes`);
    this.name = 'PayloadTooLargeError';
  }
}

/** No route matches the method and path. */
export class RouteNotFoundError extends EmulatorError {
  readonly code = 'FLAGFLEET_EMULATOR_ROUTE_NOT_FOUND';
  readonly status = 404;
  constructor(method: string, path: string) {
    super(`no emulator route for ${method} ${path}`);
    this.name = 'RouteNotFoundError';
  }
}

/** Folder mode could not read or watch its folder at start. */
export class FlagsDirUnreadableError extends EmulatorError {
  readonly code = 'FLAGFLEET_EMULATOR_FLAGS_DIR_UNREADABLE';
  readonly status = 500;
  constructor(dir: string, options?: { cause?: unknown }) {
    super(`emulator flags folder ${dir} cannot be read`, options);
    this.name = 'FlagsDirUnreadableError';
  }
}
