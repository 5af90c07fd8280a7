/** Lua run atomically in Redis; each is a compare-and-act so a crashed step leaves no half state. */
import type { Result } from 'ioredis';
import type { RedisConnection } from '../../redis-connection';
import { DELIVERY_HEARTBEAT } from './delivery-heartbeat';
import { ENQUEUE_DELIVERY } from './enqueue-delivery';
import { ENQUEUE_REVISION } from './enqueue-revision';
import { FINALIZE_DELIVERY } from './finalize-delivery';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    flagfleetEnqueueDelivery(
      dedupe: string,
      seq: string,
      stream: string,
      dedupeTtlMs: number,
      job: string,
    ): Result<number, Context>;
    /** Called through `enqueueRevisionArgs` (the key count varies with the jobs). */
    flagfleetEnqueueRevision(
      numberOfKeys: number,
      ...keysAndArgs: (string | number)[]
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

/** Registers the queue scripts on a client (EVALSHA, falling back to EVAL after a Redis restart). */
export function defineQueueScripts(client: RedisConnection): void {
  for (const script of [ENQUEUE_DELIVERY, FINALIZE_DELIVERY, DELIVERY_HEARTBEAT]) {
    client.defineCommand(script.name, { numberOfKeys: script.numberOfKeys, lua: script.lua });
  }
  // Without numberOfKeys, ioredis takes the key count as the first argument of each call.
  client.defineCommand(ENQUEUE_REVISION.name, { lua: ENQUEUE_REVISION.lua });
}
