export interface WaitForOptions {
  /** Upper bound on the wait; the promise rejects after it. Default 5000 ms. */
  readonly timeoutMs?: number;
  /** Delay between probes. Default 20 ms. */
  readonly intervalMs?: number;
  /** Included in the timeout error so a failing test says what it was waiting for. */
  readonly message?: string;
  /**
   * Checked before each probe: a returned message rejects at once with that message (the awaited thing
   * can no longer happen, e.g. the process being waited on has exited), without waiting out the timeout.
   */
  readonly stop?: () => string | undefined;
}

/**
 * Resolves with the probe's first truthy result; rejects after `timeoutMs`, or as soon as `stop` returns
 * a message. A probe that throws counts as "not yet" (the last error is reported on timeout).
 */
export async function waitFor<T>(
  probe: () => T | Promise<T>,
  { timeoutMs = 5000, intervalMs = 20, message = 'condition', stop }: WaitForOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    const stopped = stop?.();
    if (stopped !== undefined) throw new Error(stopped);
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`waitFor timed out after ${timeoutMs} ms waiting for ${message}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
