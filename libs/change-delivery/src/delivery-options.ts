import type { TargetPolicy } from './targets/target-policy';

/** Where the fleet's delivery state lives; null: memory (one replica). */
export interface DeliveryRedisOptions {
  /** REDIS_URL in any form the config store accepts. */
  readonly url: string;
  /** Prefix of the store's keys (REDIS_KEY_PREFIX); delivery adds its own hash tag (redis-keys.ts). */
  readonly keyPrefix: string;
}

/** `ChangeDeliveryModule.forRoot(options)`: the `delivery` section of the service's configuration. */
export interface ChangeDeliveryOptions {
  /** WEBHOOK_SECRET_KEY; null: a warning, and secrets only work for a single replica (see docs/webhooks.md). */
  readonly secretKey: string | null;
  readonly targets: TargetPolicy;
  /** Delays between attempts; after the last the delivery is dead-lettered. */
  readonly retryScheduleMs: readonly number[];
  readonly timeoutMs: number;
  /** A delivery whose worker is silent this long is claimed by another replica. */
  readonly claimIdleMs: number;
  /** Attempts kept per subscription. */
  readonly logLength: number;
  /** WEBHOOK_MAX_SUBSCRIPTIONS: creating one more is refused with 409 (FLAGFLEET_WEBHOOK_SUBSCRIPTION_LIMIT). */
  readonly maxSubscriptions: number;
  readonly redis: DeliveryRedisOptions | null;
  /** This replica's name: the queue consumer and the Redis connection names. */
  readonly replicaId: string;
}

/** Workers look for due deliveries this often: a tenth of the claim time, within 20..500 ms. */
export function workerTickMs(claimIdleMs: number): number {
  return Math.min(500, Math.max(20, Math.floor(claimIdleMs / 10)));
}
