import { CodedError, codedError } from '@flagfleet/core';

/** Coded errors of the poller; every code is listed in docs/errors.md. */
export abstract class PollerError extends CodedError {}

/** AppConfigPollerModule.forRoot was given options it cannot run with; the service refuses to start. */
export class PollerOptionsInvalidError extends codedError(
  'FLAGFLEET_POLLER_OPTIONS_INVALID',
  500,
  (reason: string) => `appconfig poller options are invalid: ${reason}`,
  PollerError,
) {}

/** AppConfigData answered without a field the protocol guarantees (a token); the poll is retried with backoff. */
export class AppConfigResponseInvalidError extends codedError(
  'FLAGFLEET_APPCONFIG_RESPONSE_INVALID',
  502,
  (operation: string, missing: string) => `${operation} answered without ${missing}`,
  PollerError,
) {}

/** An AppConfigData call exceeded client.requestTimeoutMs; treated like a network error (backoff). */
export class AppConfigTimeoutError extends codedError(
  'FLAGFLEET_APPCONFIG_TIMEOUT',
  504,
  (operation: string, timeoutMs: number) => `${operation} did not answer within ${timeoutMs} ms`,
  PollerError,
) {}

/** featureFlagRules 'hosted': the control plane holds no served hosted version of the source; retried with backoff. */
export class HostedVersionNotFoundError extends codedError(
  'FLAGFLEET_HOSTED_VERSION_NOT_FOUND',
  502,
  (source: { application: string; environment: string; profile: string }, reason: string) =>
    `no hosted configuration version for ${source.application}/${source.environment}/${source.profile}: ${reason}`,
  PollerError,
) {}

/** A BACKUP_DIR file could not be used (unreadable, not ours, or its hash does not match); it is ignored. */
export class BackupInvalidError extends codedError(
  'FLAGFLEET_BACKUP_INVALID',
  500,
  (file: string, reason: string) => `backup file ${file} ignored: ${reason}`,
  PollerError,
) {}
