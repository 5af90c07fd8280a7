/**
 * KEYS: fence, token. ARGV: fence, token JSON ('' clears). 1 when written, 0 when the fence is
 * stale. Only the fence counter is checked: a holder whose lease lapsed with no takeover may still
 * store the token it was issued, which keeps the token chain unbroken.
 */
export const WRITE_TOKEN = {
  name: 'flagfleetWriteToken',
  numberOfKeys: 2,
  lua: `
if tonumber(redis.call('GET', KEYS[1])) ~= tonumber(ARGV[1]) then return 0 end
if ARGV[2] == '' then
  redis.call('DEL', KEYS[2])
else
  redis.call('SET', KEYS[2], ARGV[2])
end
return 1
`,
} as const;
