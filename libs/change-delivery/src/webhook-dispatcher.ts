import type { Clock, Logger } from '@flagfleet/core';
import { ChangeDeliveryError } from './errors';
import type { DeliveryVerdict, QueuedDelivery } from './queue/delivery-job';
import type { AttemptOutcome, DeliveryAttempt, DeliveryRecords } from './records/delivery-records';
import { nextRetryDelay, parseRetryAfter } from './retry/retry-schedule';
import type { SendResult, WebhookSender } from './sending/webhook-sender';
import { signWebhook } from './signing/sign-webhook';
import type { StoredSubscription } from './subscriptions/subscription';
import type { WebhookSubscriptions } from './subscriptions/webhook-subscriptions';

/**
 * One attempt of one delivery and what follows from it: delivered, retry later, dead-lettered, or
 * the subscription disabled (410). Logs name the delivery and subscription, never URLs or secrets.
 */
export class WebhookDispatcher {
  constructor(
    private readonly subscriptions: WebhookSubscriptions,
    private readonly sender: WebhookSender,
    private readonly records: DeliveryRecords,
    private readonly retrySchedule: readonly number[],
    private readonly logger: Logger,
    private readonly clock: Clock,
    private readonly onAttempt: (attempt: DeliveryAttempt) => void = () => undefined,
    private readonly random: () => number = Math.random,
  ) {}

  readonly handle = async (job: QueuedDelivery): Promise<DeliveryVerdict> => {
    const attempt = job.attempts + 1;
    const subscription = await this.subscriptions.findStored(job.subscriptionId);
    if (!subscription) return { kind: 'final' }; // deleted: nothing to deliver to
    if (!subscription.enabled) {
      await this.giveUp(
        job,
        attempt,
        `subscription disabled${subscription.disabledReason ? `: ${subscription.disabledReason}` : ''}`,
      );
      await this.record(job, attempt, 'skipped', null, 'subscription disabled');
      return { kind: 'final' };
    }
    const result = await this.attempt(job, subscription);
    this.logNoAnswer(job, attempt, result);
    if (succeeded(result)) {
      await this.record(job, attempt, 'delivered', result);
      return { kind: 'final' };
    }
    if (result.status === 410) {
      await this.subscriptions.disable(job.subscriptionId, 'receiver answered 410 Gone');
      await this.giveUp(job, attempt, 'receiver answered 410 Gone');
      await this.record(job, attempt, 'gone', result);
      this.logger.warn(`webhook subscription ${job.subscriptionId} disabled: receiver answered 410 Gone`);
      return { kind: 'final' };
    }
    const delay = nextRetryDelay(
      {
        attempts: attempt,
        status: result.status,
        retryAfterMs: parseRetryAfter(result.retryAfter, this.clock.now()),
      },
      this.retrySchedule,
      this.random,
    );
    if (delay === null) {
      await this.giveUp(job, attempt, `gave up after ${attempt} attempts: ${describe(result)}`);
      await this.record(job, attempt, 'dead-lettered', result);
      return { kind: 'final' };
    }
    await this.record(
      job,
      attempt,
      result.refused ? 'refused' : 'retrying',
      result,
      undefined,
      this.clock.now() + delay,
    );
    return { kind: 'retry', delayMs: delay };
  };

  /** Sends without queueing (the admin "test" ping) and logs the attempt. */
  async sendNow(job: QueuedDelivery, subscription: StoredSubscription): Promise<DeliveryAttempt> {
    const result = await this.attempt(job, subscription);
    this.logNoAnswer(job, 1, result);
    return this.record(job, 1, succeeded(result) ? 'delivered' : 'failed', result);
  }

  private async attempt(job: QueuedDelivery, subscription: StoredSubscription): Promise<SendResult> {
    let secrets: string[];
    try {
      secrets = this.subscriptions.secretsOf(subscription);
    } catch (error) {
      if (!(error instanceof ChangeDeliveryError)) throw error;
      return { status: null, latencyMs: 0, retryAfter: undefined, error: error.message, refused: false };
    }
    // webhook-timestamp is per attempt (receivers reject stale ones); webhook-id stays the job's.
    const headers = signWebhook(job.id, Math.floor(this.clock.now() / 1000), job.body, secrets);
    return this.sender.send(subscription.url, job.body, headers);
  }

  /** An attempt without an HTTP answer (refused, timeout, DNS, TLS) is worth a line: the receiver never saw it. */
  private logNoAnswer(job: QueuedDelivery, attempt: number, result: SendResult): void {
    if (result.status !== null) return;
    this.logger.warn(
      `webhook delivery ${job.id} attempt ${attempt} for subscription ${job.subscriptionId} got no answer: ${result.error ?? 'unknown failure'}`,
    );
  }

  private async giveUp(job: QueuedDelivery, attempts: number, reason: string): Promise<void> {
    await this.records.addDeadLetter({
      job,
      attempts,
      deadAt: new Date(this.clock.now()).toISOString(),
      reason,
    });
    this.logger.warn(
      `webhook delivery ${job.id} for subscription ${job.subscriptionId} dead-lettered: ${reason}`,
    );
  }

  private async record(
    job: QueuedDelivery,
    attempt: number,
    outcome: AttemptOutcome,
    result: SendResult | null,
    error: string | null | undefined = result?.error,
    nextAttemptAt: number | null = null,
  ): Promise<DeliveryAttempt> {
    const entry: DeliveryAttempt = {
      deliveryId: job.id,
      subscriptionId: job.subscriptionId,
      type: job.type,
      source: job.source,
      revision: job.revision,
      attempt,
      at: new Date(this.clock.now()).toISOString(),
      status: result?.status ?? null,
      latencyMs: result?.latencyMs ?? 0,
      outcome,
      error:
        error ?? (result && result.status !== null && !succeeded(result) ? `HTTP ${result.status}` : null),
      nextAttemptAt: nextAttemptAt === null ? null : new Date(nextAttemptAt).toISOString(),
    };
    await this.records.recordAttempt(entry);
    this.onAttempt(entry);
    return entry;
  }
}

function succeeded(result: SendResult): boolean {
  return result.status !== null && result.status >= 200 && result.status < 300;
}

function describe(result: SendResult): string {
  return result.status === null ? (result.error ?? 'no answer') : `HTTP ${result.status}`;
}
