import { codedError } from '@flagfleet/core';

/** Coded errors of the flag service itself (start-up, stream admission); every code is listed in docs/errors.md. */

/** The environment failed validation; the message lists every offending variable (never its value). */
export class EnvInvalidError extends codedError(
  'FLAGFLEET_ENV_INVALID',
  500,
  (problems: readonly string[]) => `invalid environment:\n  - ${problems.join('\n  - ')}`,
) {
  constructor(readonly problems: readonly string[]) {
    super(problems);
  }
}

/** Embedded default: FLAGS_DIR is missing or has no `<profile>.json` to serve. */
export class FlagsDirEmptyError extends codedError(
  'FLAGFLEET_FLAGS_DIR_EMPTY',
  500,
  (dir: string) =>
    `FLAGS_DIR ${dir} has no <profile>.json file to serve (set FLAGS_DIR, or APPCONFIG_SOURCES to poll AppConfig)`,
) {}

/** `SSE_MAX_STREAMS` event streams are open on this replica: answered 503 with Retry-After. */
export class SseStreamLimitError extends codedError(
  'FLAGFLEET_SSE_STREAM_LIMIT',
  503,
  (limit: number) =>
    `too many open event streams: this replica holds at most ${limit} (SSE_MAX_STREAMS); retry later or on another replica`,
) {}

/** TLS_CERT_FILE / TLS_KEY_FILE cannot be read, or are not a PEM certificate and its private key. */
export class TlsCertificateInvalidError extends codedError(
  'FLAGFLEET_TLS_CERTIFICATE_INVALID',
  500,
  (certFile: string, keyFile: string, reason: string) =>
    `TLS certificate ${certFile} with key ${keyFile} cannot be served: ${reason}`,
) {}
