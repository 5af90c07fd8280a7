import { murmur3 } from '../../operators/murmur3';
import { appconfigSplit, splitBucket } from './split';

describe('appconfig_split', () => {
  it('hashes seed:value with a seed, flagKey:value without, scaled to [0, 100)', () => {
    expect(splitBucket('user-1', 's', 'flag')).toBe((murmur3('s:user-1') / 2 ** 32) * 100);
    expect(splitBucket('user-1', null, 'flag')).toBe((murmur3('flag:user-1') / 2 ** 32) * 100);
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
