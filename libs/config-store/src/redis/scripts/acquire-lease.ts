/**
 * KEYS: lease, fence. ARGV: owner, ttlMs. Returns the new fence, or nil when another owner holds
 * the lease. SET PX and INCR happen together, so every acquisition has a fence no one had before.
 * The lease value is `<fence>:<owner>`; the holder re-acquiring gets a fresh fence too.
 */
export const ACQUIRE_LEASE = {
  name: 'flagfleetAcquireLease',
  numberOfKeys: 2,
  lua: `
local current = redis.call('GET', KEYS[1])
if current then
  local separator = string.find(current, ':', 1, true)
  if string.sub(current, separator + 1) ~= ARGV[1] then return nil end
end
local fence = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], fence .. ':' .. ARGV[1], 'PX', ARGV[2])
return fence
`,
} as const;
