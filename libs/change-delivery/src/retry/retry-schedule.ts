const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Delays after attempts 1, 2, …: about 27.5 h in all, then the delivery is dead-lettered. */
export const DEFAULT_RETRY_SCHEDULE_MS: readonly number[] = [
  5 * SECOND,
  5 * MINUTE,
  30 * MINUTE,
  2 * HOUR,
  5 * HOUR,
  10 * HOUR,
  10 * HOUR,
];

/** Statuses meaning "overloaded": the next delay is doubled (unless Retry-After says otherwise). */
const SLOW_DOWN = new Set([429, 502, 503, 504]);
const MAX_DELAY_MS = 24 * HOUR;

/** Retry-After as delta-seconds or an HTTP date; null when absent or unparsable. */
export function parseRetryAfter(value: string | undefined, now: number): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * SECOND;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

export interface RetryInput {
  /** Attempts made so far, including the one that just failed (1 after the first). */
  readonly attempts: number;
  /** HTTP status of the failed attempt; null for a network error or timeout. */
  readonly status: number | null;
  readonly retryAfterMs: number | null;
}

/**
 * Milliseconds until the next attempt, or null to give up. Jitter spreads ±20 % so a receiver
 * coming back is not hit by every delivery at once; `random` is injectable for tests.
 */
export function nextRetryDelay(
  input: RetryInput,
  schedule: readonly number[],
  random: () => number = Math.random,
): number | null {
  const base = schedule[input.attempts - 1];
  if (base === undefined) return null;
  const slowed = input.status !== null && SLOW_DOWN.has(input.status) ? base * 2 : base;
  const jittered = Math.round(slowed * (0.8 + 0.4 * random()));
  const delay = input.retryAfterMs === null ? jittered : Math.max(jittered, input.retryAfterMs);
  return Math.min(delay, MAX_DELAY_MS);
}
