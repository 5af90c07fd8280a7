import { murmur3 } from '../../operators/murmur3';
import { appconfigSplit, compileSplit, splitBucket } from './split';

describe('appconfig_split', () => {
  it('hashes the value with murmur3 seeded by the hash of the seed (or of the flag key), scaled to [0, 100)', () => {
    expect(splitBucket('user-1', 's', 'flag')).toBe((murmur3('user-1', murmur3('s')) / 2 ** 32) * 100);
    expect(splitBucket('user-1', null, 'flag')).toBe((murmur3('user-1', murmur3('flag')) / 2 ** 32) * 100);
    // Pinned: buckets must never change between versions, or users would move between variants.
    expect(splitBucket('user-1', 's', 'flag')).toBeCloseTo(81.153470184654, 9);
    expect(splitBucket('jane_doe@example.org', null, 'ui_refresh')).toBeCloseTo(68.19166773930192, 9);
    // Pinned: the buckets must never change between versions (stickiness across deployments).
  });

  it('answers the same in its compiled form', () => {
    for (const [value, seed] of [
      ['user-1', 's'],
      ['jane@example.org', null],
      [42, 'x'],
    ] as const) {
      for (const pct of [0, 10, 50, 99.5, 100])
        expect(compileSplit(pct, seed, 'flag')(value)).toBe(appconfigSplit([pct, value, seed, 'flag']));
    }
    expect(compileSplit(50, null, 'flag')(undefined)).toBeNull();
  });

  it('is true below pct, and deterministic', () => {
    const bucket = splitBucket('user-1', null, 'flag');
    expect(appconfigSplit([Math.ceil(bucket + 0.001), 'user-1', null, 'flag'])).toBe(true);
    expect(appconfigSplit([Math.floor(bucket), 'user-1', null, 'flag'])).toBe(false);
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
