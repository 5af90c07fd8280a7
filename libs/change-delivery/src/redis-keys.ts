/** The hash tag of every change-delivery key: all of them in one Cluster slot, so multi-key scripts are legal. */
const HASH_TAG = '{webhooks}';

/**
 * Every Redis key change delivery uses, built from the caller's plain prefix (e.g. `flagfleet:`). The
 * lib adds the Cluster hash tag itself: a caller's prefix never has to carry one.
 */
export interface DeliveryRedisKeys {
  /** hash: subscription id → JSON */
  readonly subscriptions: string;
  /** stream read by the `deliverers` consumer group */
  readonly queue: string;
  /** hash: source → the last revision whose deliveries were queued */
  readonly queuedRevisions: string;
  /** hash: dead-lettered delivery id → JSON */
  readonly deadLetters: string;
  /** sorted set: dead-lettered delivery id by time */
  readonly deadLetterOrder: string;
  /** list: the last attempts of one subscription */
  attemptLog(subscriptionId: string): string;
  /** string with expiry: set once a job with this dedupe key was enqueued */
  dedupe(dedupeKey: string): string;
  /** integer: the last seq given to a job of this subscription */
  seq(subscriptionId: string): string;
  /** integer: the highest seq of this subscription with a final outcome */
  done(subscriptionId: string): string;
  /** hash: attempts and dueAt of one job being retried */
  jobState(jobId: string): string;
}

export function deliveryRedisKeys(prefix: string): DeliveryRedisKeys {
  const base = `${prefix}${HASH_TAG}:`;
  return {
    subscriptions: `${base}subscriptions`,
    queue: `${base}queue`,
    queuedRevisions: `${base}queued`,
    deadLetters: `${base}dead`,
    deadLetterOrder: `${base}dead:order`,
    attemptLog: (subscriptionId) => `${base}log:${subscriptionId}`,
    dedupe: (dedupeKey) => `${base}dedupe:${dedupeKey}`,
    seq: (subscriptionId) => `${base}seq:${subscriptionId}`,
    done: (subscriptionId) => `${base}done:${subscriptionId}`,
    jobState: (jobId) => `${base}state:${jobId}`,
  };
}
