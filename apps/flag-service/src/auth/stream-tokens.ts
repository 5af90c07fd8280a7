import { createHmac, timingSafeEqual } from 'node:crypto';

/** A token is valid for at least this long after it is handed out, and at most twice this. */
const WINDOW_MS = 30 * 60_000;
const PREFIX = 'v1';

/**
 * Short-lived, source-scoped credentials for `GET /events/stream`, which an `EventSource` cannot send a header
 * to (OFREP ADR-0008: the `eventStreams` URL is opaque and may carry one). A token is
 * `v1.<expiry, epoch seconds>.<HMAC-SHA256 of the source and expiry>`, keyed by an API key: never the key, useless
 * for any other route or source, and checked by every replica that holds the same key (a token made with a key
 * still listed during a rotation keeps working; one made with a removed key does not).
 *
 * Tokens are made per 30-minute window, the same one for every request of a window (the OFREP bulk answer that
 * carries it stays cacheable), and expire one window after theirs ends: 30 to 60 minutes after they are handed out.
 */
export class StreamTokens {
  private readonly keys: readonly Buffer[];

  constructor(
    apiKeys: readonly string[],
    private readonly now: () => number = Date.now,
  ) {
    this.keys = apiKeys.map((key) => Buffer.from(key, 'utf8'));
  }

  /** No keys: the stream is open and no token is needed. */
  get open(): boolean {
    return this.keys.length === 0;
  }

  /** The current window: a cache of anything that embeds a token is valid within one. */
  window(): number {
    return this.open ? 0 : Math.floor(this.now() / WINDOW_MS);
  }

  /** The token for `source` in the current window; null when the stream is open. */
  issue(source: string): string | null {
    if (this.open) return null;
    const expires = ((this.window() + 2) * WINDOW_MS) / 1000;
    return `${PREFIX}.${expires}.${mac(this.keys[0], source, expires).toString('base64url')}`;
  }

  /** Whether `token` was made by one of the keys for exactly `source` and has not expired. */
  accepts(source: string, token: string): boolean {
    if (this.open) return true;
    const [prefix, expiresText, macText, extra] = token.split('.');
    if (prefix !== PREFIX || extra !== undefined || !/^\d{1,12}$/.test(expiresText ?? '')) return false;
    const expires = Number(expiresText);
    const nowSeconds = this.now() / 1000;
    // Not expired, and not from further ahead than this replica would issue (a clock far off, or a forgery).
    if (expires <= nowSeconds || expires > nowSeconds + (3 * WINDOW_MS) / 1000) return false;
    const presented = Buffer.from(macText ?? '', 'base64url');
    let match = false;
    // Every key is compared, in constant time: the time does not tell which one matched, or how much of it.
    for (const key of this.keys) {
      const expected = mac(key, source, expires);
      match = (presented.length === expected.length && timingSafeEqual(presented, expected)) || match;
    }
    return match;
  }
}

function mac(key: Buffer, source: string, expires: number): Buffer {
  return createHmac('sha256', key).update(`flagfleet event stream\n${source}\n${expires}`).digest();
}
