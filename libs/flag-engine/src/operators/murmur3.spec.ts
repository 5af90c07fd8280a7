import { murmur3 } from './murmur3';

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
