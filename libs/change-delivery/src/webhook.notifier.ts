import type { Clock, Logger } from '@flagfleet/core';
import type { ChangeNotifier, FlagChange } from './change-notifier';
import type { DeliveryJob } from './queue/delivery-job';
import type { DeliveryQueue } from './queue/delivery-queue';
import { changeWebhookId } from './signing/sign-webhook';
import type { WebhookSubscriptions } from './subscriptions/webhook-subscriptions';
import { flagsChangedPayload, sourceEventPayload } from './webhook-payload';

/** Changes (and source events) kept per source until queued (and a while after, see RETAIN_MS): bounds memory. */
const MAX_REMEMBERED = 32;
/**
 * A change stays remembered this long after it was seen queued: a failover to a Redis replica that
 * had not yet received the record of it brings it back as not queued, and it is queued again.
 */
const RETAIN_MS = 60_000;

export interface WebhookNotifierTiming {
  /** How often remembered changes are checked against what the fleet has queued. */
  readonly checkMs: number;
  /** How long a replica leaves a change to its publisher before queueing it itself. */
  readonly graceMs: number;
}

/** A change that is a source's, not a revision's: added at run time or removed. */
type SourceEvent = FlagChange & { readonly kind: 'added' | 'removed' };
const isSourceEvent = (change: FlagChange): change is SourceEvent => change.kind !== 'revision';

interface Remembered {
  readonly change: FlagChange;
  readonly seenAt: number;
  queuedSeenAt: number | null;
}

/**
 * Queues one delivery per matching subscription and revision, durably: the queue records per source
 * the last revision whose deliveries were queued, and every replica remembers the changes it saw
 * until that record covers them. The publishing replica queues at once; when it cannot (the queue's
 * Redis is down, it died), any replica that sees the gap — on its periodic check, after the store
 * is back — queues the missing revisions in order. Queueing is idempotent per revision (the record)
 * and per subscription (dedupe key, and a webhook id derived from the revision).
 *
 * A source added at run time or removed has no revision of its own (it names the one served) and no store
 * write: every replica that sees it queues it, after the source's revisions, and the dedupe key (derived
 * from source, that revision and the kind, like its webhook id) makes it one delivery per subscription
 * fleet-wide. Until queued it is remembered and retried on the periodic check.
 */
export class WebhookNotifier implements ChangeNotifier {
  private readonly remembered = new Map<string, Remembered[]>();
  /** Sources added or removed, seen and not yet queued, per source in the order seen. */
  private readonly sourceEvents = new Map<string, SourceEvent[]>();
  private readonly flushes = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private failing = false;

  constructor(
    private readonly subscriptions: WebhookSubscriptions,
    private readonly queue: DeliveryQueue,
    private readonly logger: Logger,
    private readonly timing: WebhookNotifierTiming,
    private readonly clock: Clock,
  ) {}

  async notify(change: FlagChange): Promise<void> {
    if (isSourceEvent(change)) {
      // Bounded as revisions are: a source that appears and goes 32 times while the queue is down keeps the last 32.
      this.sourceEvents.set(
        change.source,
        [...(this.sourceEvents.get(change.source) ?? []), change].slice(-MAX_REMEMBERED),
      );
      await this.flush(change.source);
      return;
    }
    // A replica's first load (start-up) is not a change; a move it saw, or a publish here, is.
    if (!change.publishedHere && change.previousRevision === null) return;
    const list = this.remembered.get(change.source) ?? [];
    if (list.some((entry) => entry.change.revision === change.revision)) return;
    list.push({ change, seenAt: this.clock.now(), queuedSeenAt: null });
    list.sort((a, b) => a.change.revision - b.change.revision);
    if (list.length > MAX_REMEMBERED) list.splice(0, list.length - MAX_REMEMBERED);
    this.remembered.set(change.source, list);
    if (change.publishedHere) await this.flush(change.source);
  }

  start(): void {
    this.timer = setInterval(() => void this.check(), this.timing.checkMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.flushes.values()]);
  }

  /** Every source with remembered changes, against the queue's record; failures wait for the next check. */
  private async check(): Promise<void> {
    const sources = new Set([...this.remembered.keys(), ...this.sourceEvents.keys()]);
    const outcomes = await Promise.allSettled([...sources].map((source) => this.flush(source)));
    const failure = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failure && !this.failing) {
      this.logger.warn(`webhook queueing waits for the store: ${(failure.reason as Error).message}`);
    } else if (!failure && this.failing) {
      this.logger.warn('webhook queueing caught up');
    }
    this.failing = failure !== undefined;
  }

  /** One flush per source at a time, in revision order. */
  private flush(source: string): Promise<void> {
    const next = (this.flushes.get(source) ?? Promise.resolve())
      // A source's appearance goes before its revisions, its removal after them.
      .then(() => this.queueSourceEvents(source, (event) => event.kind === 'added'))
      .then(() => this.queueMissing(source))
      .then(() => this.queueSourceEvents(source, () => true));
    this.flushes.set(
      source,
      next.catch(() => undefined),
    );
    return next;
  }

  private async queueMissing(source: string): Promise<void> {
    const list = this.remembered.get(source) ?? [];
    if (list.length === 0) return;
    let queued = await this.queue.queuedRevision(source);
    const now = this.clock.now();
    for (const entry of list) {
      const { change } = entry;
      if (change.revision <= queued) {
        entry.queuedSeenAt ??= now;
        continue;
      }
      entry.queuedSeenAt = null; // not (or no longer) queued: a failover may have lost the record
      // The publisher goes first, unless revisions before its own are missing: it leaves those to the
      // replicas that saw them. After the grace, anyone queues what is still missing.
      const first = change.publishedHere && (queued === 0 || change.revision === queued + 1);
      if (!first && now - entry.seenAt < this.timing.graceMs) break;
      await this.queue.enqueueRevision(source, change.revision, await this.jobs(change));
      queued = change.revision;
      entry.queuedSeenAt = now;
    }
    const kept = list.filter((entry) => entry.queuedSeenAt === null || now - entry.queuedSeenAt < RETAIN_MS);
    if (kept.length > 0) this.remembered.set(source, kept);
    else this.remembered.delete(source);
  }

  /**
   * Remembered source events in order while `take` holds, each subscription's job on its own dedupe key;
   * forgotten once queued.
   */
  private async queueSourceEvents(source: string, take: (event: SourceEvent) => boolean): Promise<void> {
    for (;;) {
      const change = this.sourceEvents.get(source)?.[0];
      if (!change || !take(change)) return;
      for (const job of await this.jobs(change)) await this.queue.enqueue(job);
      const rest = (this.sourceEvents.get(source) ?? []).filter((pending) => pending !== change);
      if (rest.length > 0) this.sourceEvents.set(source, rest);
      else this.sourceEvents.delete(source);
    }
  }

  private async jobs(change: FlagChange): Promise<DeliveryJob[]> {
    const createdAt = this.clock.now();
    const subscriptions = await this.subscriptions.matching(change);
    // Serialising a large change costs its size in time: only when someone receives it.
    if (subscriptions.length === 0) return [];
    const payload = isSourceEvent(change)
      ? sourceEventPayload(change, new Date(createdAt))
      : flagsChangedPayload(change, new Date(createdAt));
    const body = JSON.stringify(payload);
    // A source event has its own delivery beside the revision it names.
    const kind = isSourceEvent(change) ? change.kind : undefined;
    return subscriptions.map((subscription) => ({
      id: changeWebhookId(subscription.id, change.source, change.revision, kind),
      subscriptionId: subscription.id,
      type: payload.type,
      source: change.source,
      revision: change.revision,
      body,
      dedupeKey: `${subscription.id}:${change.source}:${change.revision}${kind === undefined ? '' : `:${kind}`}`,
      createdAt,
    }));
  }
}
