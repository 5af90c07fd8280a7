import { StreamTokens } from './stream-tokens';

describe('StreamTokens: what an EventSource URL may carry instead of an API key', () => {
  let now = Date.UTC(2026, 11, 7, 12, 10);
  const clock = () => now;
  const tokens = new StreamTokens(['key-a', 'key-b'], clock);

  it('is not needed without keys', () => {
    const open = new StreamTokens([]);
    expect(open.open).toBe(true);
    expect(open.issue('a/b/c')).toBeNull();
    expect(open.accepts('a/b/c', 'anything')).toBe(true);
  });

  it('accepts its own token for the source it names only, and never contains the key', () => {
    const token = tokens.issue('shop/prod/flags')!;
    expect(token).toMatch(/^v1\.\d+\.[A-Za-z0-9_-]{43}$/);
    expect(token).not.toContain('key-a');
    expect(tokens.accepts('shop/prod/flags', token)).toBe(true);
    expect(tokens.accepts('shop/prod/other', token)).toBe(false);
    const [, expires, mac] = token.split('.');
    expect(tokens.accepts('shop/prod/flags', `v1.${Number(expires) + 60}.${mac}`)).toBe(false);
    expect(tokens.accepts('shop/prod/flags', `v1.${expires}.${mac.slice(0, -2)}AA`)).toBe(false);
    for (const bad of ['', 'v1', 'v1..', `v2.${expires}.${mac}`, `${token}.x`, `v1.-5.${mac}`])
      expect(tokens.accepts('shop/prod/flags', bad)).toBe(false);
  });

  it('is the same within a window, valid 30 to 60 minutes, and then refused', () => {
    const token = tokens.issue('a/b/c')!;
    now += 15 * 60_000;
    expect(tokens.issue('a/b/c')).toBe(token);
    now += 20 * 60_000; // the next window: a new token, the old one still good
    expect(tokens.issue('a/b/c')).not.toBe(token);
    expect(tokens.accepts('a/b/c', token)).toBe(true);
    now += 30 * 60_000;
    expect(tokens.accepts('a/b/c', token)).toBe(false);
  });

  it('is checked by every replica holding one of the keys, during a rotation too', () => {
    const token = tokens.issue('a/b/c')!;
    expect(new StreamTokens(['key-b', 'key-a'], clock).accepts('a/b/c', token)).toBe(true);
    expect(new StreamTokens(['key-a'], clock).accepts('a/b/c', token)).toBe(true);
    expect(new StreamTokens(['key-b'], clock).accepts('a/b/c', token)).toBe(false);
    expect(new StreamTokens(['key-c'], clock).accepts('a/b/c', token)).toBe(false);
  });
});
