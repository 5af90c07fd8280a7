import { CodedError, codedError } from '@flagfleet/core';
import type { DocumentProblemCode } from '@flagfleet/flag-engine';

/** Coded errors of the config store; every code is listed in docs/errors.md. */
export abstract class ConfigStoreError extends CodedError {}

/** A write carried a fence that is no longer current: another replica holds (or held) the lease since. */
export class LeaseLostError extends codedError(
  'FLAGFLEET_LEASE_LOST',
  409,
  (source: string, fence: number) =>
    `poll lease for ${source} with fence ${fence} is no longer held; write refused`,
  ConfigStoreError,
) {
  constructor(
    readonly source: string,
    readonly fence: number,
  ) {
    super(source, fence);
  }
}

/** The backing store (Redis) did not answer in time (a timed-out write may still land; fences keep that safe). */
export class StoreUnavailableError extends codedError(
  'FLAGFLEET_STORE_UNAVAILABLE',
  503,
  (detail: string) => `config store unavailable: ${detail}`,
  ConfigStoreError,
) {}

/** The same code as a polled document that is too large (the type ties it to flag-engine's). */
const TOO_LARGE: typeof DocumentProblemCode.TOO_LARGE = 'FLAGFLEET_DOCUMENT_TOO_LARGE';

/** A stored document expands past DOCUMENT_MAX_BYTES, found before more than the limit is decompressed. */
export class StoredDocumentTooLargeError extends codedError(
  TOO_LARGE,
  500,
  (source: string, maxBytes: number) =>
    `stored document of ${source} is larger than DOCUMENT_MAX_BYTES (${maxBytes} bytes); not read`,
  ConfigStoreError,
) {}

/** A stored document's content does not match its content hash (written by something other than a poller). */
export class StoredDocumentCorruptError extends codedError(
  'FLAGFLEET_STORE_DOCUMENT_CORRUPT',
  500,
  (source: string) => `stored document of ${source} does not match its content hash; not served`,
  ConfigStoreError,
) {}

/** REDIS_URL could not be parsed; the message never contains the password. */
export class RedisUrlInvalidError extends codedError(
  'FLAGFLEET_REDIS_URL_INVALID',
  500,
  (redactedUrl: string, reason: string) => `REDIS_URL ${redactedUrl} is invalid: ${reason}`,
  ConfigStoreError,
) {}

/** A source key is not `application/environment/profile` with three non-empty parts. */
export class SourceKeyInvalidError extends codedError(
  'FLAGFLEET_SOURCE_KEY_INVALID',
  400,
  (key: string) => `source key ${JSON.stringify(key)} is not application/environment/profile`,
  ConfigStoreError,
) {}
