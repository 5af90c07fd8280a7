import type { ChangeNotifier, FlagChange } from './change-notifier';
import type { DeliveryQueue } from './queue/delivery-job';
import { newWebhookId } from './signing/sign-webhook';
import type { WebhookSubscriptions } from './subscriptions/webhook-subscriptions';
import { FLAGS_CHANGED, flagsChangedPayload } from './webhook-payload';

/**
 * Enqueues one delivery per matching subscription, on the publishing replica only: every replica
 * sees the change, exactly one enqueues, and the queue's dedupe key makes a repeat a no-op.
 */
export class WebhookNotifier implements ChangeNotifier {
  constructor(
    private readonly subscriptions: WebhookSubscriptions,
    private readonly queue: DeliveryQueue,
  ) {}

  async notify(change: FlagChange): Promise<void> {
    if (!change.publishedHere) return;
    const body = JSON.stringify(flagsChangedPayload(change));
    for (const subscription of await this.subscriptions.matching(change)) {
      await this.queue.enqueue({
        id: newWebhookId(),
        subscriptionId: subscription.id,
        type: FLAGS_CHANGED,
        source: change.source,
        revision: change.revision,
        body,
        dedupeKey: `${subscription.id}:${change.source}:${change.revision}`,
        createdAt: Date.now(),
      });
    }
  }
}
