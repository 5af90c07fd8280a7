import { backoffDelay, nextPollAt, SESSION_MAX_AGE_MS, sessionExpired } from './poll-schedule';

describe('poll schedule', () => {
  const bounds = { minMs: 1000, maxMs: 300_000 };

  it('schedules the next poll one interval later plus at most 5% (capped at 1 s) of jitter', () => {
    expect(nextPollAt(10_000, 60, () => 0)).toBe(70_000);
    expect(nextPollAt(10_000, 60, () => 0.999)).toBe(70_999);
    expect(nextPollAt(10_000, 1, () => 0.999)).toBe(11_049);
    expect(nextPollAt(10_000, 86_400, () => 0.999)).toBe(10_000 + 86_400_000 + 999);
  });

  it('doubles the backoff per consecutive failure, with jitter in the upper half, capped', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, bounds, () => 1))).toEqual([1000, 2000, 4000, 8000]);
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, bounds, () => 0))).toEqual([500, 1000, 2000, 4000]);
    expect(backoffDelay(12, bounds, () => 1)).toBe(300_000);
    expect(backoffDelay(10_000, bounds, () => 0.5)).toBe(225_000);
  });

  it('replaces sessions at 23 hours, before AppConfig expires their tokens at 24', () => {
    expect(SESSION_MAX_AGE_MS).toBe(23 * 3600_000);
    expect(sessionExpired(0, SESSION_MAX_AGE_MS - 1)).toBe(false);
    expect(sessionExpired(0, SESSION_MAX_AGE_MS)).toBe(true);
  });
});
