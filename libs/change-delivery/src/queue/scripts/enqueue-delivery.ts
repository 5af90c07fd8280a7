/** KEYS: dedupe, seq, stream. ARGV: dedupe ttl ms, job json. Returns the job's seq, or 0 when a duplicate. */
export const ENQUEUE_DELIVERY = {
  name: 'flagfleetEnqueueDelivery',
  numberOfKeys: 3,
  lua: `
if not redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then return 0 end
local seq = redis.call('INCR', KEYS[2])
redis.call('XADD', KEYS[3], '*', 'job', ARGV[2], 'seq', seq)
return seq
`,
} as const;
