import { CodedError } from '@flagfleet/core';

/** Coded errors of the poller; every code is listed in docs/errors.md. */
export abstract class PollerError extends CodedError {}

/** AppConfigPollerModule.forRoot was given options it cannot run with; the service refuses to start. */
export class PollerOptionsInvalidError extends PollerError {
  readonly code = 'FLAGFLEET_POLLER_OPTIONS_INVALID';
  readonly status = 500;
  constructor(reason: string) {
    super(`appconfig poller options are invalid: ${reason}`);
    this.name = 'PollerOptionsInvalidError';
  }
}

/** AppConfigData answered without a field the protocol guarantees (a token); the poll is retried with backoff. */
export class AppConfigResponseInvalidError extends PollerError {
  readonly code = 'FLAGFLEET_APPCONFIG_RESPONSE_INVALID';
  readonly status = 502;
  constructor(operation: string, missing: string) {
    super(`${operation} answered without ${missing}`);
    this.name = 'AppConfigResponseInvalidError';
  }
}

/** An AppConfigData call exceeded client.requestTimeoutMs; treated like a network error (backoff). */
export class AppConfigTimeoutError extends PollerError {
  readonly code = 'FLAGFLEET_APPCONFIG_TIMEOUT';
  readonly status = 504;
  constructor(operation: string, timeoutMs: number) {
    super(`${operation} did not answer within ${timeoutMs} ms`);
    this.name = 'AppConfigTimeoutError';
  }
}

/** featureFlagRules 'hosted': the control plane holds no served hosted version of the source; retried with backoff. */
export class HostedVersionNotFoundError extends PollerError {
  readonly code = 'FLAGFLEET_HOSTED_VERSION_NOT_FOUND';
  readonly status = 502;
  constructor(source: { application: string; environment: string; profile: string }, reason: string) {
    super(
      `no hosted configuration version for ${source.application}/${source.environment}/${source.profile}: ${reason}`,
    );
    this.name = 'HostedVersionNotFoundError';
  }
}

/** A BACKUP_DIR file could not be used (unreadable, not ours, or its hash does not match); it is ignored. */
export class BackupInvalidError extends PollerError {
  readonly code = 'FLAGFLEET_BACKUP_INVALID';
  readonly status = 500;
  constructor(file: string, reason: string) {
    super(`backup file ${file} ignored: ${reason}`);
    this.name = 'BackupInvalidError';
  }
}
