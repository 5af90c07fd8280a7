/** Lua run atomically in Redis; each is a compare-and-act so a crashed step leaves no half state. */
import type { Result } from 'ioredis';
import type { RedisConnection } from '../redis-connection';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    flagfleetEnqueueDelivery(
      dedupe: string,
      seq: string,
      stream: string,
      dedupeTtlMs: number,
      job: string,
    ): Result<number, Context>;
    flagfleetFinalizeDelivery(
      stream: string,
      done: string,
      state: string,
      group: string,
      entryId: string,
      seq: number,
    ): Result<number, Context>;
    flagfleetDeliveryHeartbeat(
      stream: string,
      group: string,
      consumer: string,
      ...entryIds: string[]
    ): Result<string[], Context>;
  }
}

/** KEYS: dedupe, seq, stream. ARGV: dedupe ttl ms, job json. Returns the job's seq, or 0 when a duplicate. */
export const ENQUEUE = {
  name: 'flagfleetEnqueueDelivery',
  numberOfKeys: 3,
  lua: `
if not redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then return 0 end
local seq = redis.call('INCR', KEYS[2])
redis.call('XADD', KEYS[3], '*', 'job', ARGV[2], 'seq', seq)
return seq
`,
} as const;

/** KEYS: stream, done, state. ARGV: group, entry id, seq. Marks the seq done (ordering) and acks. */
export const FINALIZE = {
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

/**
 * KEYS: stream. ARGV: group, consumer, entry ids. Resets the idle time of entries this consumer
 * still owns (so nobody claims a delivery that is only waiting for its retry) and returns the ids
 * it lost to another consumer's XAUTOCLAIM.
 */
export const HEARTBEAT = {
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

/** Registers the queue scripts on a client (EVALSHA, falling back to EVAL after a Redis restart). */
export function defineQueueScripts(client: RedisConnection): void {
  for (const script of [ENQUEUE, FINALIZE, HEARTBEAT]) {
    client.defineCommand(script.name, { numberOfKeys: script.numberOfKeys, lua: script.lua });
  }
}
