/** One webhook message for one subscription; its id is the `webhook-id`, stable across retries. */
export interface DeliveryJob {
  readonly id: string;
  readonly subscriptionId: string;
  /** `flags.changed`, `source.added`, `source.removed` or `webhook.ping` */
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

/** Delay before a job whose handler threw is tried again (not counted as an attempt). */
export const HANDLER_FAILURE_DELAY_MS = 1000;
