/** KEYS: lease. ARGV: `<fence>:<owner>`. 1 when deleted, 0 when the lease is no longer this one. */
export const RELEASE_LEASE = {
  name: 'flagfleetReleaseLease',
  numberOfKeys: 1,
  lua: `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1
`,
} as const;
