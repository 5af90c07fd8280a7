/** Pure scheduling arithmetic: when the next poll is due and how long to back off. */

/** AppConfig tokens live 24 h; a session older than this is replaced before its token can expire. */
export const SESSION_MAX_AGE_MS = 23 * 60 * 60 * 1000;

/** Next due time: the interval AppConfig asked for plus up to 5% (at most 1 s) so replicas do not align. */
export function nextPollAt(now: number, intervalSeconds: number, random: () => number = Math.random): number {
  const intervalMs = Math.max(0, intervalSeconds) * 1000;
  return now + intervalMs + Math.floor(random() * Math.min(1000, intervalMs * 0.05));
}

/**
 * Exponential backoff with "equal jitter": the step doubles from min to max per consecutive failure,
 * and the wait is a random point in its upper half (so replicas that failed together spread out).
 */
export function backoffDelay(
  failures: number,
  bounds: { readonly minMs: number; readonly maxMs: number },
  random: () => number = Math.random,
): number {
  const step = Math.min(bounds.maxMs, bounds.minMs * 2 ** Math.max(0, Math.min(failures - 1, 30)));
  return Math.round(step / 2 + random() * (step / 2));
}

export function sessionExpired(sessionStartedAt: number, now: number): boolean {
  return now - sessionStartedAt >= SESSION_MAX_AGE_MS;
}
