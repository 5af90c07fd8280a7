/** KEYS: stream, done, state. ARGV: group, entry id, seq. Marks the seq done (ordering) and acks. */
export const FINALIZE_DELIVERY = {
  name: 'flagfleetFinalizeDelivery',
  numberOfKeys: 3,
  lua: `
local done = tonumber(redis.call('GET', KEYS[2]) or '0')
if done < tonumber(ARGV[3]) then redis.call('SET', KEYS[2], ARGV[3]) end
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
redis.call('DEL', KEYS[3])
return 1
`,
} as const;
