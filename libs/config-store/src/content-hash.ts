import { createHash } from 'node:crypto';

/** sha256 hex of the raw bytes: the one way every part of flagfleet fingerprints a document. */
export function contentHash(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}
