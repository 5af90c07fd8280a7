import type { Clock, Logger } from '@flagfleet/core';
import { type RedisConnection, storeCall } from '../redis-connection';
import type { DeliveryHandler, DeliveryJob, QueuedDelivery } from './delivery-job';
import type { DeliveryQueue } from './delivery-queue';
import { HANDLER_FAILURE_DELAY_MS } from './delivery-job';
import type { DeliveryRedisKeys } from '../redis-keys';
import { defineQueueScripts } from './scripts';
import { enqueueRevisionArgs } from './scripts/enqueue-revision';

const GROUP = 'deliverers';
const DEDUPE_TTL_MS = 7 * 24 * 60 * 60 * 1000;
const MAX_HELD = 256;
/** Jobs per script call when a revision is queued: bounds one call's size whatever the subscriptions. */
const JOBS_PER_CALL = 64;

export interface RedisDeliveryQueueOptions {
  readonly keys: DeliveryRedisKeys;
  /** This replica's consumer name in the group (unique per process). */
  readonly consumer: string;
  /** A delivery pending this long without a heartbeat is claimed by another replica. */
  readonly claimIdleMs: number;
  /** How often held jobs are checked for being due and first in their subscription's order. */
  readonly tickMs: number;
}

interface HeldJob {
  readonly entryId: string;
  readonly seq: number;
  readonly job: DeliveryJob;
  attempts: number;
  dueAt: number;
  busy: boolean;
  /** Final outcome reached; only the acknowledgement is left (retried without re-sending). */
  finished: boolean;
}

type StreamEntry = [id: string, fields: string[]];

/**
 * Redis Streams with one consumer group every replica reads: an entry is delivered to one replica,
 * stays pending until a final outcome (then XACK), and is claimed (XAUTOCLAIM) by another replica
 * when its holder stops heartbeating. Per subscription, `seq` (assigned atomically at enqueue) and a
 * `done` counter keep deliveries in order across replicas.
 */
export class RedisDeliveryQueue implements DeliveryQueue {
  private readonly held = new Map<string, HeldJob>();
  private handler: DeliveryHandler | null = null;
  private running = false;
  private timers: NodeJS.Timeout[] = [];
  private readLoop: Promise<void> | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  private blockingClientId: number | null = null;
  private readonly keys: DeliveryRedisKeys;
  private readonly stream: string;

  constructor(
    private readonly redis: RedisConnection,
    /** A separate connection for the blocking XREADGROUP. */
    private readonly blocking: RedisConnection,
    private readonly options: RedisDeliveryQueueOptions,
    private readonly logger: Logger,
    private readonly clock: Clock,
  ) {
    this.keys = options.keys;
    this.stream = options.keys.queue;
    defineQueueScripts(redis);
  }

  async enqueue(job: DeliveryJob): Promise<boolean> {
    return storeCall(async () => {
      const seq = await this.redis.flagfleetEnqueueDelivery(
        this.keys.dedupe(job.dedupeKey),
        this.keys.seq(job.subscriptionId),
        this.stream,
        DEDUPE_TTL_MS,
        JSON.stringify(job),
      );
      return Number(seq) > 0;
    });
  }

  async queuedRevision(source: string): Promise<number> {
    return storeCall(async () => {
      return Number((await this.redis.hget(this.keys.queuedRevisions, source)) ?? 0);
    });
  }

  async enqueueRevision(source: string, revision: number, jobs: readonly DeliveryJob[]): Promise<boolean> {
    return storeCall(async () => {
      for (let from = 0; from === 0 || from < jobs.length; from += JOBS_PER_CALL) {
        const chunk = jobs.slice(from, from + JOBS_PER_CALL);
        const added = await this.redis.flagfleetEnqueueRevision(
          ...enqueueRevisionArgs({
            queued: this.keys.queuedRevisions,
            stream: this.stream,
            source,
            revision,
            dedupeTtlMs: DEDUPE_TTL_MS,
            final: from + JOBS_PER_CALL >= jobs.length,
            jobs: chunk.map((job) => ({
              dedupe: this.keys.dedupe(job.dedupeKey),
              seq: this.keys.seq(job.subscriptionId),
              json: JSON.stringify(job),
            })),
          }),
        );
        if (Number(added) < 0) return false;
      }
      return true;
    });
  }

  start(handler: DeliveryHandler): void {
    this.handler = handler;
    this.running = true;
    const every = (ms: number, task: () => Promise<void>) => {
      const timer = setInterval(
        () => void task().catch((e: Error) => this.logger.warn(`webhook queue: ${e.message}`)),
        ms,
      );
      this.timers.push(timer);
    };
    every(this.options.tickMs, async () => this.tick());
    every(Math.max(50, Math.floor(this.options.claimIdleMs / 3)), () => this.heartbeat());
    every(Math.max(50, Math.floor(this.options.claimIdleMs / 2)), () => this.claimAbandoned());
    this.readLoop = this.read();
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    // Wake the blocked XREADGROUP so the loop sees `running` is false. The connections are the
    // caller's: it closes them after stop().
    if (this.blockingClientId !== null)
      await this.redis.client('UNBLOCK', this.blockingClientId).catch(() => undefined);
    await this.readLoop;
    await Promise.allSettled([...this.inFlight]);
    this.handler = null;
  }

  private async ensureGroup(): Promise<void> {
    try {
      await this.redis.xgroup('CREATE', this.stream, GROUP, '0', 'MKSTREAM');
    } catch (error) {
      if (!(error as Error).message.includes('BUSYGROUP')) throw error;
    }
  }

  private async read(): Promise<void> {
    let groupReady = false;
    while (this.running) {
      try {
        if (!groupReady) {
          await this.ensureGroup();
          this.blockingClientId = Number(await this.blocking.client('ID'));
          groupReady = true;
        }
        if (this.held.size >= MAX_HELD) {
          await new Promise((r) => setTimeout(r, this.options.tickMs));
          continue;
        }
        const answer = (await this.blocking.xreadgroup(
          'GROUP',
          GROUP,
          this.options.consumer,
          'COUNT',
          16,
          'BLOCK',
          1000,
          'STREAMS',
          this.stream,
          '>',
        )) as [string, StreamEntry[]][] | null;
        for (const [, entries] of answer ?? []) await this.hold(entries);
      } catch (error) {
        if (!this.running) return;
        if ((error as Error).message.includes('NOGROUP')) groupReady = false;
        this.logger.warn(`webhook queue read failed: ${(error as Error).message}`);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  private async hold(entries: (StreamEntry | null)[]): Promise<void> {
    for (const entry of entries) {
      if (!entry || this.held.has(entry[0])) continue;
      const [entryId, fields] = entry;
      const field = (name: string) => fields[fields.indexOf(name) + 1];
      const job = JSON.parse(field('job')) as DeliveryJob;
      const state = await this.redis.hmget(this.keys.jobState(job.id), 'attempts', 'dueAt');
      this.held.set(entryId, {
        entryId,
        seq: Number(field('seq')),
        job,
        attempts: Number(state[0] ?? 0),
        dueAt: Number(state[1] ?? 0),
        busy: false,
        finished: false,
      });
    }
  }

  private async tick(): Promise<void> {
    const now = this.clock.now();
    for (const held of this.held.values()) {
      if (held.busy || held.dueAt > now || !this.handler) continue;
      held.busy = true;
      // Redis failing mid-way (an outage, a failover) leaves the job held: it is tried again next tick.
      const run = this.runIfFirst(held, this.handler)
        .catch((error: Error) => this.logger.warn(`webhook delivery ${held.job.id}: ${error.message}`))
        .finally(() => {
          held.busy = false;
          this.inFlight.delete(run);
        });
      this.inFlight.add(run);
    }
  }

  private async runIfFirst(held: HeldJob, handler: DeliveryHandler): Promise<void> {
    if (held.finished) return this.finalize(held);
    const done = Number((await this.redis.get(this.keys.done(held.job.subscriptionId))) ?? 0);
    if (held.seq <= done) return this.finalize(held); // finished elsewhere; only the ack was missing
    if (held.seq !== done + 1) return; // an earlier revision for this subscription is still in flight
    let verdict;
    try {
      verdict = await handler({ ...held.job, attempts: held.attempts } satisfies QueuedDelivery);
    } catch (error) {
      this.logger.error(`webhook delivery ${held.job.id} failed unexpectedly: ${(error as Error).message}`);
      held.dueAt = this.clock.now() + HANDLER_FAILURE_DELAY_MS;
      return;
    }
    // Even if another replica claimed it meanwhile: acking now spares the receiver a duplicate.
    if (verdict.kind === 'final') {
      held.finished = true;
      return this.finalize(held);
    }
    held.attempts += 1;
    held.dueAt = this.clock.now() + verdict.delayMs;
    await this.redis.hset(this.keys.jobState(held.job.id), 'attempts', held.attempts, 'dueAt', held.dueAt);
  }

  private async finalize(held: HeldJob): Promise<void> {
    await this.redis.flagfleetFinalizeDelivery(
      this.stream,
      this.keys.done(held.job.subscriptionId),
      this.keys.jobState(held.job.id),
      GROUP,
      held.entryId,
      held.seq,
    );
    this.held.delete(held.entryId);
  }

  private async heartbeat(): Promise<void> {
    if (this.held.size === 0) return;
    const lost = await this.redis.flagfleetDeliveryHeartbeat(
      this.stream,
      GROUP,
      this.options.consumer,
      ...this.held.keys(),
    );
    for (const entryId of lost) this.held.delete(entryId);
  }

  private async claimAbandoned(): Promise<void> {
    if (this.held.size >= MAX_HELD) return;
    const [, entries] = (await this.redis.xautoclaim(
      this.stream,
      GROUP,
      this.options.consumer,
      this.options.claimIdleMs,
      '0-0',
      'COUNT',
      16,
    )) as [string, (StreamEntry | null)[]];
    await this.hold(entries);
  }
}
