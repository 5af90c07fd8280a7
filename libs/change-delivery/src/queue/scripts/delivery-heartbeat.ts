/**
 * KEYS: stream. ARGV: group, consumer, entry ids. Resets the idle time of entries this consumer
 * still owns (so nobody claims a delivery that is only waiting for its retry) and returns the ids
 * it lost to another consumer's XAUTOCLAIM.
 */
export const DELIVERY_HEARTBEAT = {
  name: 'flagfleetDeliveryHeartbeat',
  numberOfKeys: 1,
  lua: `
local lost = {}
for i = 3, #ARGV do
  local pending = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1)
  if pending[1] and pending[1][2] == ARGV[2] then
    redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[i], 'JUSTID')
  else
    table.insert(lost, ARGV[i])
  end
end
return lost
`,
} as const;
