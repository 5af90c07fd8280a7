import { CodedError } from '@flagfleet/core';

/** Coded start-up errors of the flag service; every code is listed in docs/errors.md. */

/** The environment failed validation; the message lists every offending variable (never its value). */
export class EnvInvalidError extends CodedError {
  readonly code = 'FLAGFLEET_ENV_INVALID';
  readonly status = 500;
  constructor(readonly problems: readonly string[]) {
    super(`invalid environment:\n  - ${problems.join('\n  - ')}`);
    this.name = 'EnvInvalidError';
  }
}

/** Embedded default: FLAGS_DIR is missing or has no `<profile>.json` to serve. */
export class FlagsDirEmptyError extends CodedError {
  readonly code = 'FLAGFLEET_FLAGS_DIR_EMPTY';
  readonly status = 500;
  constructor(dir: string, cause?: unknown) {
    super(
      `FLAGS_DIR ${dir} has no <profile>.json file to serve (set FLAGS_DIR, or APPCONFIG_SOURCES to poll AppConfig)`,
      { cause },
    );
    this.name = 'FlagsDirEmptyError';
  }
}
