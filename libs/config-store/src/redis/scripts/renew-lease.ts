/** KEYS: lease. ARGV: `<fence>:<owner>`, ttlMs. 1 when extended, 0 when the lease is no longer this one. */
export const RENEW_LEASE = {
  name: 'flagfleetRenewLease',
  numberOfKeys: 1,
  lua: `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`,
} as const;
