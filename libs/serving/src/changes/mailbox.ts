/**
 * What one stream has yet to send, in one slot: a new value is merged into the pending one instead of
 * queued, so a client that reads slowly (or not at all) holds at most one pending message in memory.
 */
export class Mailbox<T> {
  private pending: T | undefined;
  private wake: (() => void) | null = null;

  constructor(private readonly merge: (pending: T, next: T) => T) {}

  put(value: T): void {
    this.pending = this.pending === undefined ? value : this.merge(this.pending, value);
    this.wake?.();
  }

  /**
   * The pending value, waiting for one up to `timeoutMs`: undefined when none came in time. Rejects with
   * the signal's reason when it aborts (client gone, server shutting down).
   */
  async take(signal: AbortSignal, timeoutMs: number): Promise<T | undefined> {
    if (this.pending === undefined) {
      await new Promise<void>((resolve, reject) => {
        if (signal.aborted) {
          reject(signal.reason);
          return;
        }
        const done = (): void => {
          clearTimeout(timer);
          signal.removeEventListener('abort', aborted);
          this.wake = null;
        };
        const aborted = (): void => {
          done();
          reject(signal.reason);
        };
        const timer = setTimeout(() => {
          done();
          resolve();
        }, timeoutMs);
        this.wake = () => {
          done();
          resolve();
        };
        signal.addEventListener('abort', aborted, { once: true });
      });
    }
    const value = this.pending;
    this.pending = undefined;
    return value;
  }
}
