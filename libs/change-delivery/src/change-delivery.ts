import { type Clock, type Logger, SystemClock } from '@flagfleet/core';
import type { DeliveryStorage } from './backend/delivery-backend';
import type { ChangeNotifier, FlagChange } from './change-notifier';
import type { ChangeDeliveryOptions } from './delivery-options';
import type { DeliveryAttempt } from './records/delivery-records';
import { WebhookSender } from './sending/webhook-sender';
import { SecretCipher } from './subscriptions/secret-cipher';
import { WebhookSubscriptions } from './subscriptions/webhook-subscriptions';
import { WebhookDeliveries } from './webhook-deliveries';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookNotifier } from './webhook.notifier';

/** Everything change delivery consists of, wired for one process. */
export interface ChangeDelivery {
  readonly subscriptions: WebhookSubscriptions;
  readonly deliveries: WebhookDeliveries;
  /** Tells every notifier; one failing does not stop the others. */
  notify(change: FlagChange): Promise<void>;
  start(): void;
  /** Stops the workers, then releases the backend (its connections). */
  stop(): Promise<void>;
}

/**
 * The use cases over a backend's storage; which backend is the module's choice, not this function's.
 * Without WEBHOOK_SECRET_KEY a single replica seals secrets under a per-process random key; a fleet
 * (shared storage) refuses to create subscriptions (its replicas could not read each other's secrets).
 */
export function createChangeDelivery(
  config: ChangeDeliveryOptions,
  storage: DeliveryStorage,
  logger: Logger,
  /** Called after every attempt (metrics). */
  onAttempt: (attempt: DeliveryAttempt) => void = () => undefined,
  /** Every timestamp and due time of delivery (not the measured latency of an attempt, which is real time). */
  clock: Clock = new SystemClock(),
): ChangeDelivery {
  const { backend, queue, records } = storage;
  let cipher: SecretCipher | null = null;
  if (config.secretKey) cipher = SecretCipher.fromPassphrase(config.secretKey);
  else if (!backend.shared) {
    // Not a warning: without a shared backend the subscriptions themselves end with the process.
    cipher = SecretCipher.ephemeral();
    logger.debug('WEBHOOK_SECRET_KEY is unset: webhook secrets are sealed with a per-process key');
  } else {
    logger.warn(
      'WEBHOOK_SECRET_KEY is unset: webhook subscriptions cannot be created until it is set on every replica',
    );
  }
  const subscriptions = new WebhookSubscriptions(
    storage.subscriptions,
    cipher,
    config.targets,
    clock,
    config.maxSubscriptions,
  );
  const dispatcher = new WebhookDispatcher(
    subscriptions,
    new WebhookSender(config.targets, config.timeoutMs),
    records,
    config.retryScheduleMs,
    logger,
    clock,
    onAttempt,
  );
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
  // SSE clients hear changes from the change feed itself (sse-stream.ts); only webhooks are queued here.
  const notifiers: ChangeNotifier[] = [webhooks];
  return {
    subscriptions,
    deliveries: new WebhookDeliveries(subscriptions, queue, records, dispatcher, clock),
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
      await backend.close();
    },
  };
}
