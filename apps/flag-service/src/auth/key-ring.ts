import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * A set of accepted keys, held as SHA-256 digests: comparing fixed-length digests with
 * timingSafeEqual leaks neither a key's content nor its length through timing.
 */
export class KeyRing {
  private readonly digests: readonly Buffer[];

  constructor(keys: readonly string[]) {
    this.digests = keys.map(digest);
  }

  get open(): boolean {
    return this.digests.length === 0;
  }

  accepts(candidate: string): boolean {
    const probe = digest(candidate);
    let match = false;
    // No early exit: every digest is compared so the time does not reveal which key matched.
    for (const known of this.digests) match = timingSafeEqual(known, probe) || match;
    return match;
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** `Authorization: Bearer <key>` or `X-API-Key: <key>`; undefined when neither is present. */
export function presentedKey(
  headers: Readonly<Record<string, string | string[] | undefined>>,
): string | undefined {
  const apiKey = headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey.length > 0) return apiKey;
  const authorization = headers.authorization;
  if (typeof authorization === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match) return match[1];
  }
  return undefined;
}
