import { DEFAULT_RETRY_SCHEDULE_MS, nextRetryDelay, parseRetryAfter } from './retry-schedule';

const noJitter = () => 0.5; // 0.8 + 0.4 * 0.5 = 1.0

describe('retry schedule', () => {
  it('defaults to 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: about a day in all', () => {
    expect(DEFAULT_RETRY_SCHEDULE_MS.slice(0, 3)).toEqual([5_000, 300_000, 1_800_000]);
    const total = DEFAULT_RETRY_SCHEDULE_MS.reduce((a, b) => a + b, 0);
    expect(total / 3_600_000).toBeGreaterThan(20);
    expect(total / 3_600_000).toBeLessThan(30);
  });

  it('follows the schedule, then gives up', () => {
    const schedule = [100, 200, 400];
    const delays = [1, 2, 3, 4].map((attempts) =>
      nextRetryDelay({ attempts, status: 500, retryAfterMs: null }, schedule, noJitter),
    );
    expect(delays).toEqual([100, 200, 400, null]);
  });

  it('jitters within ±20 %', () => {
    const low = nextRetryDelay({ attempts: 1, status: 500, retryAfterMs: null }, [1000], () => 0);
    const high = nextRetryDelay({ attempts: 1, status: 500, retryAfterMs: null }, [1000], () => 0.999999);
    expect(low).toBe(800);
    expect(high).toBe(1200);
  });

  it.each([429, 502, 503, 504])('slows down (doubles the delay) on %i', (status) => {
    expect(nextRetryDelay({ attempts: 1, status, retryAfterMs: null }, [1000], noJitter)).toBe(2000);
  });

  it('honours a longer Retry-After, capped at a day', () => {
    expect(nextRetryDelay({ attempts: 1, status: 429, retryAfterMs: 60_000 }, [1000], noJitter)).toBe(60_000);
    expect(
      nextRetryDelay({ attempts: 1, status: 503, retryAfterMs: 10 * 86_400_000 }, [1000], noJitter),
    ).toBe(86_400_000);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
  });
});
