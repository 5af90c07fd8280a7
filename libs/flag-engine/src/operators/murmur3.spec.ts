import fc from 'fast-check';
import { murmur3, murmur3Joined, murmur3Prefixed } from './murmur3';

describe('murmur3 (x86, 32-bit, seed 0, UTF-8)', () => {
  it.each([
    ['', 0x00000000],
    ['a', 1009084850],
    ['ab', 2613040991],
    ['abc', 3017643002],
    ['abcd', 1139631978],
    ['hello world', 1586663183],
    // Boundary keys of the flagd testkit: hashes 0, 1, 2^31-1, 2^31, 2^32-1.
    ['ejOoVL', 0x00000000],
    ['bY9fO-', 0x00000001],
    ['SI7p-', 0x7fffffff],
    ['6LvT0', 0x80000000],
    ['ceQdGm', 0xffffffff],
  ])('hashes %j to %i', (input, expected) => {
    expect(murmur3(input)).toBe(expected);
  });

  it('hashes UTF-8 bytes, not UTF-16 code units', () => {
    expect(murmur3('fractional-flagjosé')).toBe(0xf3c8ec80);
    // A precomposed and a decomposed "é" are different byte sequences.
    expect(murmur3('\u00e9')).not.toBe(murmur3('e\u0301'));
  });

  it('answers an unsigned 32-bit integer', () => {
    for (const input of ['x', 'ceQdGm', '😀', 'long '.repeat(100)]) {
      const hash = murmur3(input);
      expect(Number.isInteger(hash) && hash >= 0 && hash <= 0xffffffff).toBe(true);
    }
  });
});

describe('murmur3 streaming UTF-8 encoder', () => {
  // Reference: the textbook algorithm over TextEncoder's bytes.
  function reference(input: string): number {
    const bytes = new TextEncoder().encode(input);
    let h = 0;
    const mix = (k: number): number =>
      Math.imul((Math.imul(k, 0xcc9e2d51) << 15) | (Math.imul(k, 0xcc9e2d51) >>> 17), 0x1b873593);
    const blocks = bytes.length & ~3;
    for (let i = 0; i < blocks; i += 4) {
      h ^= mix(bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24));
      h = (h << 13) | (h >>> 19);
      h = (Math.imul(h, 5) + 0xe6546b64) | 0;
    }
    let k = 0;
    for (let i = bytes.length - 1; i >= blocks; i--) k = (k << 8) | bytes[i];
    if ((bytes.length & 3) > 0) h ^= mix(k);
    h ^= bytes.length;
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return h >>> 0;
  }

  it('agrees with hashing TextEncoder bytes, for every kind of code point and lone surrogates', () => {
    const samples = [
      '',
      'é',
      'e\u0301',
      '€uro',
      '😀',
      'a😀b',
      '\ud800',
      'x\udc00y',
      '\ud83d',
      'mixed ascii and ünïcödé 漢字 𝄞',
    ];
    for (let i = 0; i < 2000; i++) {
      let s = '';
      for (let j = 0; j < i % 13; j++) s += String.fromCharCode((i * 7919 + j * 104729) % 0x10000);
      samples.push(s);
    }
    for (const sample of samples) expect([sample, murmur3(sample)]).toEqual([sample, reference(sample)]);
  });

  it('hashes prefix + input alike when the prefix is hashed once (every prefix length, any text)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 12 }),
        fc.string({ unit: 'binary', maxLength: 12 }),
        (prefix, input) => {
          expect(murmur3Prefixed(prefix)(input)).toBe(murmur3(prefix + input));
        },
      ),
      { numRuns: 2000 },
    );
    // A surrogate pair split between prefix and input is one character of the joined text.
    expect(murmur3Prefixed('a\ud83d')('\ude00b')).toBe(murmur3('a\ud83d\ude00b'));
    const hash = murmur3Prefixed('ui_refresh');
    expect([hash('jane@example.org'), hash('josé')]).toEqual([
      murmur3('ui_refreshjane@example.org'),
      murmur3('ui_refreshjosé'),
    ]);
  });
});

describe('murmur3Joined', () => {
  it('hashes two strings as their concatenation, at every split point, ASCII or not', () => {
    for (const whole of [
      'fractional-flagjack',
      'flag-03user-100042',
      'abcd',
      'fractional-flagjosé',
      'a😀b',
      '',
    ]) {
      for (let split = 0; split <= whole.length; split++) {
        const [first, second] = [whole.slice(0, split), whole.slice(split)];
        expect([first, second, murmur3Joined(first, second)]).toEqual([first, second, murmur3(whole)]);
      }
    }
  });
});
