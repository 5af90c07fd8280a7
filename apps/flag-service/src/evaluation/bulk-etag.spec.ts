import { bulkEtag, etagMatches } from './bulk-etag';

describe('bulkEtag', () => {
  it('depends on the revision, the source and the context, not on key order', () => {
    const base = bulkEtag('a/b/c', 3, { targetingKey: 'u', plan: 'pro', nested: { x: 1, y: 2 } });
    expect(bulkEtag('a/b/c', 3, { nested: { y: 2, x: 1 }, plan: 'pro', targetingKey: 'u' })).toBe(base);
    expect(bulkEtag('a/b/c', 4, { targetingKey: 'u', plan: 'pro', nested: { x: 1, y: 2 } })).not.toBe(base);
    expect(bulkEtag('a/b/d', 3, { targetingKey: 'u', plan: 'pro', nested: { x: 1, y: 2 } })).not.toBe(base);
    expect(bulkEtag('a/b/c', 3, { targetingKey: 'v', plan: 'pro', nested: { x: 1, y: 2 } })).not.toBe(base);
    expect(base).toMatch(/^"3-[A-Za-z0-9_-]+"$/);
  });
});

describe('etagMatches', () => {
  it('handles lists, weak tags and *', () => {
    expect(etagMatches('"x", "1-abc"', '"1-abc"')).toBe(true);
    expect(etagMatches('W/"1-abc"', '"1-abc"')).toBe(true);
    expect(etagMatches('*', '"1-abc"')).toBe(true);
    expect(etagMatches('"1-abd"', '"1-abc"')).toBe(false);
    expect(etagMatches(undefined, '"1-abc"')).toBe(false);
  });
});
