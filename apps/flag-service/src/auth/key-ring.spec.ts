import { KeyRing, presentedKey } from './key-ring';

describe('KeyRing', () => {
  it('is open without keys', () => {
    expect(new KeyRing([]).open).toBe(true);
  });

  it('accepts exactly the configured keys', () => {
    const ring = new KeyRing(['alpha', 'beta-key']);
    expect(ring.open).toBe(false);
    expect(ring.accepts('alpha')).toBe(true);
    expect(ring.accepts('beta-key')).toBe(true);
    expect(ring.accepts('alph')).toBe(false);
    expect(ring.accepts('alpha ')).toBe(false);
    expect(ring.accepts('')).toBe(false);
  });
});

describe('presentedKey', () => {
  it('reads X-API-Key first, then a Bearer token', () => {
    expect(presentedKey({ 'x-api-key': 'k1', authorization: 'Bearer k2' })).toBe('k1');
    expect(presentedKey({ authorization: 'Bearer k2' })).toBe('k2');
    expect(presentedKey({ authorization: 'bearer   k3 ' })).toBe('k3');
  });

  it('ignores other schemes and empty values', () => {
    expect(presentedKey({ authorization: 'Basic dTpw' })).toBeUndefined();
    expect(presentedKey({ 'x-api-key': '' })).toBeUndefined();
    expect(presentedKey({})).toBeUndefined();
  });
});
