import type { Clock, Logger } from '@flagfleet/core';
import { type DeliveryHandler, type DeliveryJob, HANDLER_FAILURE_DELAY_MS } from './delivery-job';
import type { DeliveryQueue } from './delivery-queue';

interface Lane {
  readonly jobs: { job: DeliveryJob; attempts: number; dueAt: number }[];
  busy: boolean;
}

const MAX_REMEMBERED_KEYS = 10_000;

/** One replica, no Redis: per-subscription lanes in memory (lost on restart, like the memory store). */
export class MemoryDeliveryQueue implements DeliveryQueue {
  private readonly lanes = new Map<string, Lane>();
  private readonly seen = new Set<string>();
  private readonly queued = new Map<string, number>();
  private handler: DeliveryHandler | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly logger: Logger,
    private readonly clock: Clock,
    private readonly tickMs = 100,
  ) {}

  async enqueue(job: DeliveryJob): Promise<boolean> {
    if (this.seen.has(job.dedupeKey)) return false;
    this.seen.add(job.dedupeKey);
    // A Set iterates in insertion order: dropping the first key forgets the oldest.
    if (this.seen.size > MAX_REMEMBERED_KEYS) this.seen.delete(this.seen.values().next().value as string);
    const lane = this.lanes.get(job.subscriptionId) ?? { jobs: [], busy: false };
    lane.jobs.push({ job, attempts: 0, dueAt: this.clock.now() });
    this.lanes.set(job.subscriptionId, lane);
    this.tick();
    return true;
  }

  async queuedRevision(source: string): Promise<number> {
    return this.queued.get(source) ?? 0;
  }

  async enqueueRevision(source: string, revision: number, jobs: readonly DeliveryJob[]): Promise<boolean> {
    if ((this.queued.get(source) ?? 0) >= revision) return false;
    for (const job of jobs) await this.enqueue(job);
    this.queued.set(source, revision);
    return true;
  }

  start(handler: DeliveryHandler): void {
    this.handler = handler;
    this.timer = setInterval(() => this.tick(), this.tickMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.handler = null;
  }

  private tick(): void {
    const now = this.clock.now();
    for (const [id, lane] of this.lanes) {
      const head = lane.jobs[0];
      if (!head) {
        if (!lane.busy) this.lanes.delete(id);
        continue;
      }
      if (lane.busy || !this.handler || head.dueAt > now) continue;
      lane.busy = true;
      void this.run(lane, this.handler);
    }
  }

  private async run(lane: Lane, handler: DeliveryHandler): Promise<void> {
    const head = lane.jobs[0];
    try {
      const verdict = await handler({ ...head.job, attempts: head.attempts });
      if (verdict.kind === 'final') lane.jobs.shift();
      else {
        head.attempts += 1;
        head.dueAt = this.clock.now() + verdict.delayMs;
      }
    } catch (error) {
      this.logger.error(`webhook delivery ${head.job.id} failed unexpectedly: ${(error as Error).message}`);
      head.dueAt = this.clock.now() + HANDLER_FAILURE_DELAY_MS;
    } finally {
      lane.busy = false;
    }
  }
}
