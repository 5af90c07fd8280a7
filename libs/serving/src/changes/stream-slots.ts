/**
 * The streams one port may hold open at once (each holds a connection's buffers, a feed subscription and its
 * pending message): a stream takes a slot before anything is written, and gives it back exactly once when it
 * ends, however it ends. Past `limit` the next one is refused by its protocol (RESOURCE_EXHAUSTED, 503).
 */
export class StreamSlots {
  private taken = 0;

  constructor(readonly limit: number) {}

  /** A slot for one stream, or null when `limit` are open. The release is idempotent. */
  take(): (() => void) | null {
    if (this.taken >= this.limit) return null;
    this.taken += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.taken -= 1;
    };
  }

  /** Streams open now. */
  get open(): number {
    return this.taken;
  }
}
