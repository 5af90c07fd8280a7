/** One webhook message for one subscription; its id is the `webhook-id`, stable across retries. */
export interface DeliveryJob {
  readonly id: string;
  readonly subscriptionId: string;
  /** `flags.changed` or `webhook.ping` */
  readonly type: string;
  readonly source: string | null;
  readonly revision: number | null;
  /** The exact JSON body sent on every attempt (the signature covers it). */
  readonly body: string;
  /** Enqueueing twice with one key is a no-op: a change reaches a subscription once. */
  readonly dedupeKey: string;
  readonly createdAt: number;
}

/** A job as a worker sees it: `attempts` made so far (0 before the first). */
export interface QueuedDelivery extends DeliveryJob {
  readonly attempts: number;
}

/** A final outcome (delivered, dead-lettered, skipped) is acknowledged; a retry waits `delayMs`. */
export type DeliveryVerdict =
  { readonly kind: 'final' } | { readonly kind: 'retry'; readonly delayMs: number };

export type DeliveryHandler = (job: QueuedDelivery) => Promise<DeliveryVerdict>;

/**
 * Durable, per-subscription ordered queue: jobs of one subscription are handled one at a time,
 * in enqueue (revision) order; the next waits while an earlier one is being retried.
 */
export interface DeliveryQueue {
  /** false when a job with the same dedupeKey was enqueued before. */
  enqueue(job: DeliveryJob): Promise<boolean>;
  /** The last revision of `source` whose deliveries were queued; 0 when none was recorded. */
  queuedRevision(source: string): Promise<number>;
  /**
   * Queues one revision's jobs and records the revision as queued, unless it (or a later one) was
   * queued already, by any replica: then nothing is added and the answer is false.
   */
  enqueueRevision(source: string, revision: number, jobs: readonly DeliveryJob[]): Promise<boolean>;
  start(handler: DeliveryHandler): void;
  stop(): Promise<void>;
}

/** Delay before a job whose handler threw is tried again (not counted as an attempt). */
export const HANDLER_FAILURE_DELAY_MS = 1000;
