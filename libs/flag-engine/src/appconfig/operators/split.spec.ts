import { murmur3 } from '../../operators/murmur3';
import { appconfigSplit, compileSplit, splitBucket, splitWeights } from './split';

describe('appconfig_split', () => {
  it("buckets as flagd's fractional: murmur3 (seed 0) of seed-or-flag-key + value, times the total weight, over 2^32", () => {
    expect(splitBucket('user-1', 's', 'flag', 100)).toBe(Math.floor((murmur3('suser-1') * 100) / 2 ** 32));
    expect(splitBucket('user-1', null, 'flag', 1000)).toBe(
      Math.floor((murmur3('flaguser-1') * 1000) / 2 ** 32),
    );
    // Pinned: buckets must never change between versions, or users would move between variants.
    expect(murmur3('suser-1')).toBe(3517051467);
    expect(splitBucket('user-1', 's', 'flag', 100)).toBe(81);
    expect(murmur3('ui_refreshjane_doe@example.org')).toBe(1247054804);
    expect(splitBucket('jane_doe@example.org', null, 'ui_refresh', 100)).toBe(29);
  });

  it('turns pct into integer fractional weights, exactly up to 7 decimals', () => {
    expect(splitWeights(10)).toEqual({ inWeight: 10, totalWeight: 100 });
    expect(splitWeights(33.3)).toEqual({ inWeight: 333, totalWeight: 1000 });
    expect(splitWeights(0.1)).toEqual({ inWeight: 1, totalWeight: 1000 });
    expect(splitWeights(0)).toEqual({ inWeight: 0, totalWeight: 100 });
    expect(splitWeights(100)).toEqual({ inWeight: 100, totalWeight: 100 });
    // More decimals round to 7; the total stays within flagd's 2^31 - 1.
    expect(splitWeights(12.345678912)).toEqual({ inWeight: 123456789, totalWeight: 1_000_000_000 });
  });

  it('answers the same in its compiled form', () => {
    for (const [value, seed] of [
      ['user-1', 's'],
      ['jane@example.org', null],
      [42, 'x'],
      ['josé', null],
    ] as const) {
      for (const pct of [0, 10, 33.3, 50, 81, 82, 99.5, 100])
        expect(compileSplit(pct, seed, 'flag')(value)).toBe(appconfigSplit([pct, value, seed, 'flag']));
    }
    expect(compileSplit(50, null, 'flag')(undefined)).toBeNull();
  });

  it('is true below pct, and deterministic', () => {
    // user-1 with seed s is in bucket 81 of 100.
    expect(appconfigSplit([82, 'user-1', 's', 'flag'])).toBe(true);
    expect(appconfigSplit([81, 'user-1', 's', 'flag'])).toBe(false);
    expect(appconfigSplit([100, 'anything', null, 'flag'])).toBe(true);
    expect(appconfigSplit([0, 'anything', null, 'flag'])).toBe(false);
  });

  it('splits numbers as written, and is unknown without a value', () => {
    expect(appconfigSplit([50, 42, 'x', 'f'])).toBe(appconfigSplit([50, '42', 'x', 'f']));
    expect(appconfigSplit([50, null, null, 'f'])).toBeNull();
    expect(appconfigSplit([50, 'a', 1, 'f'])).toBeNull();
    expect(appconfigSplit([50, 'a'])).toBeNull();
  });
});
