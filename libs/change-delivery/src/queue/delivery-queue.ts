import type { DeliveryHandler, DeliveryJob } from './delivery-job';

/**
 * The Nest token of the queue (ChangeDeliveryModule provides the backend's). Durable and ordered per
 * subscription: jobs of one subscription are handled one at a time, in enqueue (revision) order; the
 * next waits while an earlier one is being retried. With several replicas, a job is handled by one.
 */
export abstract class DeliveryQueue {
  /** false when a job with the same dedupeKey was enqueued before. */
  abstract enqueue(job: DeliveryJob): Promise<boolean>;
  /** The last revision of `source` whose deliveries were queued; 0 when none was recorded. */
  abstract queuedRevision(source: string): Promise<number>;
  /**
   * Queues one revision's jobs and records the revision as queued, unless it (or a later one) was
   * queued already, by any replica: then nothing is added and the answer is false.
   */
  abstract enqueueRevision(source: string, revision: number, jobs: readonly DeliveryJob[]): Promise<boolean>;
  abstract start(handler: DeliveryHandler): void;
  abstract stop(): Promise<void>;
}
