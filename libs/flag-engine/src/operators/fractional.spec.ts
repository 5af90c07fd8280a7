import {
  MAX_TOTAL_WEIGHT,
  bucketOf,
  compileFractional,
  fractional,
  pickBucket,
  totalWeight,
} from './fractional';
import { murmur3 } from './murmur3';

const flagd = (flagKey: string, targetingKey?: string): Record<string, unknown> => ({
  $flagd: { flagKey, timestamp: 0 },
  ...(targetingKey === undefined ? {} : { targetingKey }),
});

describe('fractional', () => {
  describe('bucketOf: (h * total) >> 32 in exact integer arithmetic', () => {
    it.each([
      [0, 100, 0],
      [1, 100, 0],
      [0x7fffffff, 100, 49],
      [0x80000000, 100, 50],
      [0xffffffff, 100, 99],
      [0xffffffff, MAX_TOTAL_WEIGHT, MAX_TOTAL_WEIGHT - 1],
      [0xdeadbeef, 12345, 10738],
    ])('h=%i total=%i -> %i', (hash, total, expected) => {
      expect(bucketOf(hash, total)).toBe(expected);
      expect(BigInt(bucketOf(hash, total))).toBe((BigInt(hash) * BigInt(total)) >> 32n);
    });
  });

  describe('totalWeight (parse step)', () => {
    it('defaults weights to 1 and clamps negatives to 0', () => {
      expect(totalWeight([['a'], ['b', 3], ['c', -5]])).toBe(4);
      expect(totalWeight(['bucketing value', ['a'], ['b', 3]], 1)).toBe(4);
    });
    it.each([
      ['no buckets', []],
      ['a bucket that is not an array', ['a']],
      ['an empty bucket', [[]]],
      ['a bucket with three entries', [['a', 1, 2]]],
      ['a non-integer weight', [['a', 1.5]]],
      ['a string weight', [['a', '50']]],
      ['an object variant', [[{ x: 1 }, 1]]],
      [
        'a total of zero',
        [
          ['a', 0],
          ['b', 0],
        ],
      ],
      [
        'a total above int32 max',
        [
          ['a', MAX_TOTAL_WEIGHT],
          ['b', 1],
        ],
      ],
    ])('rejects %s', (_name, buckets) => {
      expect(totalWeight(buckets as unknown[])).toBeNull();
    });
  });

  it('picks the first bucket whose running sum exceeds the bucket value', () => {
    const buckets = [
      ['lower', 50],
      ['upper', 50],
    ];
    expect(pickBucket(buckets, 0, 100, murmur3('ejOoVL'))).toBe('lower'); // h = 0
    expect(pickBucket(buckets, 0, 100, murmur3('SI7p-'))).toBe('lower'); // h = 2^31 - 1
    expect(pickBucket(buckets, 0, 100, murmur3('6LvT0'))).toBe('upper'); // h = 2^31
    expect(pickBucket(buckets, 0, 100, murmur3('ceQdGm'))).toBe('upper'); // h = 2^32 - 1
    // Zero-weight buckets are never picked.
    expect(
      pickBucket(
        [
          ['never', 0],
          ['always', 1],
        ],
        0,
        1,
        0,
      ),
    ).toBe('always');
  });

  it('buckets by $flagd.flagKey + targetingKey when the first argument is not a string', () => {
    const buckets = [
      ['clubs', 25],
      ['diamonds', 25],
      ['hearts', 25],
      ['spades', 25],
    ];
    // Vectors of the flagd testkit (v2 algorithm): "fractional-flag" + name.
    expect(fractional(['fractional-flagjack', ...buckets], {})).toBe('hearts');
    expect(fractional(['fractional-flagqueen', ...buckets], {})).toBe('spades');
    expect(fractional(['fractional-flagten', ...buckets], {})).toBe('clubs');
    expect(fractional(['fractional-flagnine', ...buckets], {})).toBe('diamonds');
    expect(fractional(buckets, flagd('fractional-flag', 'jack'))).toBe('hearts');
    expect(fractional([['heads'], ['tails', 1]], flagd('fractional-flag-shorthand', 'jon@company.com'))).toBe(
      'heads',
    );
    expect(
      fractional([['heads'], ['tails', 1]], flagd('fractional-flag-shorthand', 'jane@company.com')),
    ).toBe('tails');
  });

  it('returns the bucket variant as evaluated (booleans and numbers too)', () => {
    expect(fractional(['any', [false, 0], [true, 100]], {})).toBe(true);
    expect(fractional(['any', [7, 1]], {})).toBe(7);
    expect(fractional(['any', [null, 1]], {})).toBeNull();
  });

  it.each([
    ['no arguments', [], flagd('f', 'k')],
    ['not an array', 'x', flagd('f', 'k')],
    ['a missing targetingKey', [['a', 1]], flagd('f')],
    ['an empty targetingKey', [['a', 1]], flagd('f', '')],
    ['a missing $flagd', [['a', 1]], { targetingKey: 'k' }],
    ['a bucketing value without buckets', ['value'], {}],
    ['all-zero weights', ['value', ['a', 0]], {}],
  ])('returns null for %s', (_name, args, context) => {
    expect(fractional(args, context)).toBeNull();
  });

  describe('compileFractional: literal buckets parsed once', () => {
    const bucketSets: unknown[][] = [
      [
        ['on', 30],
        ['off', 70],
      ],
      [['heads'], ['tails', 1]],
      [
        ['a', 0],
        ['b', 5],
        [false, 3],
        [7, 2],
        [null, 1],
      ],
      [
        ['only', -3],
        ['rest', 10],
      ],
    ];

    it('answers as fractional does on the evaluated arguments, for many keys and flags', () => {
      for (const buckets of bucketSets) {
        const compiled = compileFractional(buckets);
        expect(compiled).not.toBeNull();
        for (let i = 0; i < 500; i++) {
          const context = flagd(`flag-${i % 7}`, i % 50 === 0 ? 'josé' : `user-${i}`);
          expect(compiled!(context)).toBe(fractional(buckets, context));
        }
        for (const context of [flagd('f'), flagd('f', ''), { targetingKey: 'k' }, null])
          expect(compiled!(context)).toBeNull();
      }
    });

    it.each([
      ['a bucketBy value', ['value', ['a', 1]]],
      ['a computed bucketBy', [{ var: 'email' }, ['a', 1]]],
      ['a computed variant', [[{ var: 'v' }, 1]]],
      ['a computed weight', [['a', { '+': [1, 2] }]]],
      ['malformed buckets', [['a', 1.5]]],
      ['no buckets', []],
    ])('leaves %s to the evaluated form', (_name, args) => {
      expect(compileFractional(args)).toBeNull();
    });
  });
});
