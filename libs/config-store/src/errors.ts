import { CodedError } from '@flagfleet/core';

/** Coded errors of the config store; every code is listed in docs/errors.md. */
export abstract class ConfigStoreError extends CodedError {}

/** A write carried a fence that is no longer current: another replica holds (or held) the lease since. */
export class LeaseLostError extends ConfigStoreError {
  readonly code = 'FLAGFLEET_LEASE_LOST';
  readonly status = 409;
  constructor(
    readonly source: string,
    readonly fence: number,
  ) {
    super(`poll lease for ${source} with fence ${fence} is no longer held; write refused`);
    this.name = 'LeaseLostError';
  }
}

/** The backing store (Redis) did not answer in time (a timed-out write may still land; fences keep that safe). */
export class StoreUnavailableError extends ConfigStoreError {
  readonly code = 'FLAGFLEET_STORE_UNAVAILABLE';
  readonly status = 503;
  constructor(detail: string, options?: { cause?: unknown }) {
    super(`config store unavailable: ${detail}`, options);
    this.name = 'StoreUnavailableError';
  }
}

/** REDIS_URL could not be parsed; the message never contains the password. */
export class RedisUrlInvalidError extends ConfigStoreError {
  readonly code = 'FLAGFLEET_REDIS_URL_INVALID';
  readonly status = 500;
  constructor(redactedUrl: string, reason: string) {
    super(`REDIS_URL ${redactedUrl} is invalid: ${reason}`);
    this.name = 'RedisUrlInvalidError';
  }
}

/** A source key is not `application/environment/profile` with three non-empty parts. */
export class SourceKeyInvalidError extends ConfigStoreError {
  readonly code = 'FLAGFLEET_SOURCE_KEY_INVALID';
  readonly status = 400;
  constructor(key: string) {
    super(`source key ${JSON.stringify(key)} is not application/environment/profile`);
    this.name = 'SourceKeyInvalidError';
  }
}
