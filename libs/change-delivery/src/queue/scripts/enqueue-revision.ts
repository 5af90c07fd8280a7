/**
 * KEYS: queued (hash source → last queued revision), stream, then per job its dedupe and seq keys.
 * ARGV: source, revision, dedupe ttl ms, final ('1' on the last chunk of a revision), job JSON per job.
 * Returns -1 when the revision was queued already (by any replica), else the number of jobs added.
 * Each job is deduplicated on its own, so a revision queued in chunks can be retried chunk by chunk;
 * only the final chunk records the revision as queued.
 */
export const ENQUEUE_REVISION = {
  name: 'flagfleetEnqueueRevision',
  lua: `
if tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0') >= tonumber(ARGV[2]) then return -1 end
local added = 0
for i = 1, (#KEYS - 2) / 2 do
  if redis.call('SET', KEYS[1 + 2 * i], '1', 'NX', 'PX', ARGV[3]) then
    local seq = redis.call('INCR', KEYS[2 + 2 * i])
    redis.call('XADD', KEYS[2], '*', 'job', ARGV[4 + i], 'seq', seq)
    added = added + 1
  end
end
if ARGV[4] == '1' then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
return added
`,
} as const;

export interface EnqueueRevisionArgs {
  readonly queued: string;
  readonly stream: string;
  readonly source: string;
  readonly revision: number;
  readonly dedupeTtlMs: number;
  /** true on the last chunk: the revision is then recorded as queued. */
  readonly final: boolean;
  readonly jobs: readonly { readonly dedupe: string; readonly seq: string; readonly json: string }[];
}

/** The script's typed arguments as the flat `numberOfKeys, ...keys, ...argv` list ioredis sends. */
export function enqueueRevisionArgs(args: EnqueueRevisionArgs): [number, ...(string | number)[]] {
  const keys = [args.queued, args.stream, ...args.jobs.flatMap((job) => [job.dedupe, job.seq])];
  const argv = [args.source, args.revision, args.dedupeTtlMs, args.final ? '1' : '0'];
  return [keys.length, ...keys, ...argv, ...args.jobs.map((job) => job.json)];
}
