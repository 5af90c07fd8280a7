/**
 * KEYS: fence, document. ARGV: fence, contentGzip, contentType, versionLabel, hasVersionLabel ('1'/'0'),
 * contentHash, fetchedAt, channel, source, minRevision.
 * Returns {0} stale fence, {1, revision} unchanged (same hash), {2, revision} published.
 * Fence check, revision increment, write and PUBLISH are one atomic step: no replica can see a
 * revision message before the document is readable, nor a document without its message.
 * The content is stored gzipped (`contentGzip`); a plain `content` field left by an older version is
 * removed, so a document never holds both.
 */
export const PUBLISH_DOCUMENT = {
  name: 'flagfleetPublishDocument',
  numberOfKeys: 2,
  lua: `
if tonumber(redis.call('GET', KEYS[1])) ~= tonumber(ARGV[1]) then return {0} end
if redis.call('HGET', KEYS[2], 'contentHash') == ARGV[6] then
  return {1, tonumber(redis.call('HGET', KEYS[2], 'revision'))}
end
local revision = redis.call('HINCRBY', KEYS[2], 'revision', 1)
if revision < tonumber(ARGV[10]) then
  revision = tonumber(ARGV[10])
  redis.call('HSET', KEYS[2], 'revision', revision)
end
redis.call('HSET', KEYS[2], 'contentGzip', ARGV[2], 'contentType', ARGV[3], 'contentHash', ARGV[6], 'fetchedAt', ARGV[7])
redis.call('HDEL', KEYS[2], 'content')
if ARGV[5] == '1' then
  redis.call('HSET', KEYS[2], 'versionLabel', ARGV[4])
else
  redis.call('HDEL', KEYS[2], 'versionLabel')
end
redis.call('PUBLISH', ARGV[8], cjson.encode({source = ARGV[9], revision = revision}))
return {2, revision}
`,
} as const;
