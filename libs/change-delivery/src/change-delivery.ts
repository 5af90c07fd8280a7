import { type Clock, type Logger, SystemClock } from '@flagfleet/core';
import type { RedisConnection } from './redis-connection';
import type { ChangeNotifier, FlagChange } from './change-notifier';
import type { ChangeDeliveryOptions } from './delivery-options';
import type { DeliveryQueue } from './queue/delivery-job';
import type { DeliveryAttempt } from './records/delivery-records';
import { MemoryDeliveryQueue } from './queue/memory-delivery-queue';
import { RedisDeliveryQueue } from './queue/redis-delivery-queue';
import { MemoryDeliveryRecords } from './records/memory-delivery-records';
import { RedisDeliveryRecords } from './records/redis-delivery-records';
import { WebhookSender } from './sending/webhook-sender';
import { SseNotifier } from './sse.notifier';
import { MemorySubscriptionRepository } from './subscriptions/memory-subscription-repository';
import { deliveryRedisKeys } from './redis-keys';
import { RedisSubscriptionRepository } from './subscriptions/redis-subscription-repository';
import { SecretCipher } from './subscriptions/secret-cipher';
import { WebhookSubscriptions } from './subscriptions/webhook-subscriptions';
import { WebhookDeliveries } from './webhook-deliveries';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookNotifier } from './webhook.notifier';

/** Redis connections for a fleet: one for commands, one for the blocking stream read. */
export interface ChangeDeliveryRedis {
  readonly commands: RedisConnection;
  readonly blocking: RedisConnection;
  /** Plain prefix of every key, e.g. `flagfleet:`; the lib adds the `{webhooks}` Cluster hash tag. */
  readonly keyPrefix: string;
}

/** Everything change delivery consists of, wired for one process. */
export interface ChangeDelivery {
  readonly subscriptions: WebhookSubscriptions;
  readonly deliveries: WebhookDeliveries;
  readonly sse: SseNotifier;
  /** The connections it was given (the caller closes them after stop()). */
  readonly redis: ChangeDeliveryRedis | null;
  /** Tells every notifier; one failing does not stop the others. */
  notify(change: FlagChange): Promise<void>;
  start(): void;
  stop(): Promise<void>;
}

/**
 * Memory implementations without Redis (one replica), Redis ones with it. Without
 * WEBHOOK_SECRET_KEY a single replica seals secrets under a per-process random key; a fleet
 * refuses to create subscriptions (its replicas could not read each other's secrets).
 */
export function createChangeDelivery(
  config: ChangeDeliveryOptions,
  redis: ChangeDeliveryRedis | null,
  logger: Logger,
  /** Called after every attempt (metrics). */
  onAttempt: (attempt: DeliveryAttempt) => void = () => undefined,
  /** Every timestamp and due time of delivery (not the measured latency of an attempt, which is real time). */
  clock: Clock = new SystemClock(),
): ChangeDelivery {
  let cipher: SecretCipher | null = null;
  if (config.secretKey) cipher = SecretCipher.fromPassphrase(config.secretKey);
  else if (!redis) {
    // Not a warning: without Redis the subscriptions themselves live in memory and end with the process.
    cipher = SecretCipher.ephemeral();
    logger.debug('WEBHOOK_SECRET_KEY is unset: webhook secrets are sealed with a per-process key');
  } else {
    logger.warn(
      'WEBHOOK_SECRET_KEY is unset: webhook subscriptions cannot be created until it is set on every replica',
    );
  }
  // Failures reach callers through the commands; without a listener ioredis prints every failed reconnect.
  for (const connection of redis ? [redis.commands, redis.blocking] : [])
    connection.on('error', () => undefined);
  const keys = deliveryRedisKeys(redis?.keyPrefix ?? '');
  // Workers look for due deliveries this often: a tenth of the claim time, within 20..500 ms.
  const tickMs = Math.min(500, Math.max(20, Math.floor(config.claimIdleMs / 10)));
  const subscriptions = new WebhookSubscriptions(
    redis ? new RedisSubscriptionRepository(redis.commands, keys) : new MemorySubscriptionRepository(),
    cipher,
    config.targets,
    clock,
  );
  const records = redis
    ? new RedisDeliveryRecords(redis.commands, keys, config.logLength)
    : new MemoryDeliveryRecords(config.logLength);
  const queue: DeliveryQueue = redis
    ? new RedisDeliveryQueue(
        redis.commands,
        redis.blocking,
        {
          keys,
          consumer: config.replicaId,
          claimIdleMs: config.claimIdleMs,
          tickMs,
        },
        logger,
        clock,
      )
    : new MemoryDeliveryQueue(logger, clock, tickMs);
  const dispatcher = new WebhookDispatcher(
    subscriptions,
    new WebhookSender(config.targets, config.timeoutMs),
    records,
    config.retryScheduleMs,
    logger,
    clock,
    onAttempt,
  );
  const sse = new SseNotifier();
  // Taking over a publisher's queueing is like claiming an abandoned delivery: after the claim idle
  // time, capped so that a change is queued within seconds once the store is back.
  const graceMs = Math.min(3000, Math.max(200, config.claimIdleMs));
  const webhooks = new WebhookNotifier(
    subscriptions,
    queue,
    logger,
    { graceMs, checkMs: Math.round(graceMs / 3) },
    clock,
  );
  const notifiers: ChangeNotifier[] = [webhooks, sse];
  return {
    subscriptions,
    deliveries: new WebhookDeliveries(subscriptions, queue, records, dispatcher, clock),
    sse,
    redis,
    async notify(change) {
      const outcomes = await Promise.allSettled(notifiers.map((n) => n.notify(change)));
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') {
          logger.error(
            `change notification for ${change.source}@${change.revision} failed: ${(outcome.reason as Error).message}`,
          );
        }
      }
    },
    start: () => {
      queue.start(dispatcher.handle);
      webhooks.start();
    },
    async stop() {
      await webhooks.stop();
      await queue.stop();
    },
  };
}
