import type { Clock } from '@flagfleet/core';
import { DeadLetterNotFoundError } from './errors';
import type { DeliveryQueue } from './queue/delivery-queue';
import type { DeadLetter, DeliveryAttempt, DeliveryRecords } from './records/delivery-records';
import { newWebhookId } from './signing/sign-webhook';
import type { WebhookSubscriptions } from './subscriptions/webhook-subscriptions';
import type { WebhookDispatcher } from './webhook-dispatcher';
import { pingPayload, PING } from './webhook-payload';

/** Admin-side use cases of deliveries: the log, dead letters, replay, ping. */
export class WebhookDeliveries {
  constructor(
    private readonly subscriptions: WebhookSubscriptions,
    private readonly queue: DeliveryQueue,
    private readonly records: DeliveryRecords,
    private readonly dispatcher: WebhookDispatcher,
    private readonly clock: Clock,
  ) {}

  async log(subscriptionId: string, limit?: number): Promise<DeliveryAttempt[]> {
    await this.subscriptions.get(subscriptionId); // 404 for an unknown subscription
    return this.records.recentAttempts(subscriptionId, limit);
  }

  deadLetters(): Promise<DeadLetter[]> {
    return this.records.listDeadLetters();
  }

  /** Re-enqueues a dead-lettered delivery, same webhook-id and body, behind newer ones. */
  async replay(deliveryId: string): Promise<DeadLetter> {
    const letter = await this.records.takeDeadLetter(deliveryId);
    if (!letter) throw new DeadLetterNotFoundError(deliveryId);
    try {
      await this.subscriptions.get(letter.job.subscriptionId);
      await this.queue.enqueue({ ...letter.job, dedupeKey: `replay:${deliveryId}:${this.clock.now()}` });
    } catch (error) {
      await this.records.addDeadLetter(letter); // nothing is lost when the replay cannot happen
      throw error;
    }
    return letter;
  }

  /** Sends a signed `webhook.ping` at once and answers how it went. */
  async ping(subscriptionId: string): Promise<DeliveryAttempt> {
    const subscription = await this.subscriptions.stored(subscriptionId); // 404 when unknown
    const id = newWebhookId();
    const job = {
      id,
      subscriptionId,
      type: PING,
      source: null,
      revision: null,
      body: JSON.stringify(pingPayload(subscriptionId, new Date(this.clock.now()))),
      dedupeKey: `ping:${id}`,
      createdAt: this.clock.now(),
      attempts: 0,
    };
    return this.dispatcher.sendNow(job, subscription);
  }
}
