import { contentHash } from './content-hash';
import { SourceKeyInvalidError } from './errors';
import { parseSourceKey, sourceKey } from './source-key';

describe('sourceKey / parseSourceKey', () => {
  it('round-trips application/environment/profile', () => {
    const key = sourceKey('checkout', 'prod', 'flags');
    expect(key).toBe('checkout/prod/flags');
    expect(parseSourceKey(key)).toEqual({ application: 'checkout', environment: 'prod', profile: 'flags' });
  });

  it.each([
    ['', 'e', 'p'],
    ['a/b', 'e', 'p'],
    ['a', 'e', ''],
  ])('rejects parts %j', (...parts) => {
    expect(() => sourceKey(parts[0], parts[1], parts[2])).toThrow(SourceKeyInvalidError);
  });

  it.each(['a/b', 'a/b/c/d', 'a//c', ''])('rejects key %j', (key) => {
    expect(() => parseSourceKey(key)).toThrow(
      expect.objectContaining({ code: 'FLAGFLEET_SOURCE_KEY_INVALID' }),
    );
  });
});

describe('contentHash', () => {
  it('is the sha256 hex of the bytes', () => {
    expect(contentHash(Buffer.from('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(contentHash('abc')).toBe(contentHash(new Uint8Array([97, 98, 99])));
  });
});
