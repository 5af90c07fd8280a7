import { bulkEtag, etagMatches } from './bulk-etag';

describe('bulkEtag', () => {
  it('names the revision and hashes the bytes, the same for a string and its UTF-8 buffer', () => {
    const json = '{"flags":[{"key":"café","value":true}]}';
    const etag = bulkEtag(3, json);
    expect(etag).toMatch(/^"3-[A-Za-z0-9_-]{22}"$/);
    expect(bulkEtag(3, Buffer.from(json))).toBe(etag);
    expect(bulkEtag(4, json)).not.toBe(etag);
    expect(bulkEtag(3, json.replace('true', 'false'))).not.toBe(etag);
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
