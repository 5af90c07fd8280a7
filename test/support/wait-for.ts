export interface WaitForOptions {
  /** Upper bound on the wait; the promise rejects after it. Default 5000 ms. */
  readonly timeoutMs?: number;
  /** Delay between probes. Default 20 ms. */
  readonly intervalMs?: number;
  /** Included in the timeout error so a failing test says what it was waiting for. */
  readonly message?: string;
}

/**
 * Resolves with the probe's first truthy result; rejects after `timeoutMs`.
 * A probe that throws counts as "not yet" (the last error is reported on timeout).
 */
export async function waitFor<T>(
  probe: () => T | Promise<T>,
  { timeoutMs = 5000, intervalMs = 20, message = 'condition' }: WaitForOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
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
