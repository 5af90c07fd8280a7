import { createRedisClient } from '@flagfleet/config-store';
import {
  startWebhookReceiver,
  type WebhookReceiver,
} from '../../libs/change-delivery/src/testing/webhook-receiver';
import { openEventStream, type EventStreamClient } from '../webhooks/event-stream-client';
import { Fleet } from './fleet';
import type { ServiceProcess } from './service-process';
import { waitFor } from './wait-for';

const QUEUE_KEY = 'flagfleet:{webhooks}:queue';
/** Token misuse as the poller logs it (`poll token refused (…); new session`, or a failed poll naming the problem). */
const TOKEN_ERROR = /poll token refused|Corrupted|Expired|PollIntervalNotSatisfied|InvalidParameters/;
const DEFERRED_QUEUEING = /change notification for .* failed/;

/** What one failover cost, as the issue asks it counted. */
export interface FailoverReport {
  readonly evaluations: number;
  readonly failedEvaluations: number;
  /** A few distinct failure descriptions. */
  readonly evaluationFailures: string[];
  /** Revisions some replica served (SSE) that a subscription never received. */
  readonly lostWebhooks: number;
  /** Deliveries beyond the first for one (subscription, revision): at least once, so possible, under one id. */
  readonly duplicateWebhooks: number;
  /** (subscription, revision) pairs that reached the receiver under more than one webhook-id (must be 0). */
  readonly duplicateWebhookIds: number;
  /** From the SIGKILL to every replica serving a revision deployed right after it. */
  readonly resumeMs: number;
  /** From the SIGKILL to Redis naming a new master. */
  readonly failoverMs: number;
  readonly tokenErrors: number;
  /** Changes whose webhooks could not be queued at once (queued later by the durable path). */
  readonly deferredQueueing: number;
}

/** Requests of a few sequential loops over every replica, counted until stopped (bounded by `maxMs`). */
class EvaluationLoad {
  ok = 0;
  failed = 0;
  /** Distinct failure descriptions (a few), for the report. */
  readonly failures = new Set<string>();
  private running = true;
  private readonly loops: Promise<void>[];

  constructor(replicas: readonly ServiceProcess[], maxMs: number) {
    const until = Date.now() + maxMs;
    this.loops = replicas.map(async (replica) => {
      while (this.running && Date.now() < until) {
        try {
          const answer = await fetch(`${replica.url}/ofrep/v1/evaluate/flags/rollout`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{"context":{"targetingKey":"user-1"}}',
            signal: AbortSignal.timeout(2_000),
          });
          await answer.arrayBuffer();
          if (answer.status === 200) this.ok += 1;
          else this.fail(`${replica.name}: HTTP ${answer.status}`);
        } catch (error) {
          this.fail(`${replica.name}: ${(error as Error).message}`);
        }
      }
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  private fail(description: string): void {
    this.failed += 1;
    if (this.failures.size < 5) this.failures.add(description);
  }
}

/**
 * Three replicas of the built service on a Redis the caller owns (Cluster or Sentinel), two webhook
 * subscriptions and an SSE stream per replica: what a failover must not disturb.
 */
export class FailoverDrill {
  private readonly streams: EventStreamClient[];
  private constructor(
    readonly fleet: Fleet,
    private readonly receivers: WebhookReceiver[],
    private readonly inspect: ReturnType<typeof createRedisClient>,
  ) {
    this.streams = fleet.replicas.map((replica) =>
      openEventStream(`${replica.url}/events/stream?source=${encodeURIComponent(fleet.sourceKey)}`),
    );
  }

  static async start(redisUrl: string, application: string): Promise<FailoverDrill> {
    const receivers = await Promise.all([startWebhookReceiver(), startWebhookReceiver()]);
    const inspect = createRedisClient(redisUrl, { connectionName: 'failover-drill' });
    inspect.on('error', () => undefined);
    let fleet: Fleet | undefined;
    try {
      fleet = await Fleet.start({
        replicas: 3,
        redisUrl,
        application,
        env: {
          WEBHOOK_SECRET_KEY: 'failover-drill-secret-key-0123456789',
          WEBHOOK_ALLOW_HTTP: 'true',
          WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
          // Longer than a failover (as the default, 60 s, is): a delivery whose holder only waited for
          // Redis is not claimed by another replica and sent twice.
          WEBHOOK_CLAIM_IDLE_MS: '10000',
        },
      });
      for (const receiver of receivers) {
        const answer = await fetch(`${fleet.replicas[0].url}/admin/webhooks/subscriptions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ url: receiver.url }),
        });
        if (answer.status !== 201)
          throw new Error(`subscribing answered ${answer.status}: ${await answer.text()}`);
      }
      return new FailoverDrill(fleet, receivers, inspect);
    } catch (error) {
      await fleet?.stop();
      inspect.disconnect();
      await Promise.all(receivers.map((receiver) => receiver.close()));
      throw error;
    }
  }

  /** GetLatestConfiguration calls per second for the whole fleet over `windowMs`. */
  async pollsPerSecond(windowMs: number): Promise<number> {
    const before = this.fleet.emulator.stats().getLatestConfiguration;
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    return (this.fleet.emulator.stats().getLatestConfiguration - before) / (windowMs / 1000);
  }

  async currentRevision(): Promise<number> {
    return (await this.fleet.sourceStatus(this.fleet.replicas[0])).revision ?? 0;
  }

  /** Revisions above `after` that each replica's SSE stream announced. */
  sseRevisions(after: number): number[][] {
    return this.streams.map((stream) =>
      [
        ...new Set(
          stream.events
            .map((event) => Number.parseInt(event.id ?? '', 10))
            .filter((revision) => revision > after),
        ),
      ].sort((a, b) => a - b),
    );
  }

  /** Per receiver (subscription): revision → webhook ids received, and how many deliveries. */
  webhooks(after: number): { revisions: Map<number, string[]>; deliveries: number }[] {
    return this.receivers.map((receiver) => {
      const revisions = new Map<number, string[]>();
      let deliveries = 0;
      for (const { body, headers } of receiver.received) {
        const { type, data } = JSON.parse(body) as { type: string; data: { revision: number } };
        if (type !== 'flags.changed' || data.revision <= after) continue;
        deliveries += 1;
        revisions.set(data.revision, [
          ...(revisions.get(data.revision) ?? []),
          String(headers['webhook-id']),
        ]);
      }
      return { revisions, deliveries };
    });
  }

  /** Waits until every revision the streams announced above `after` reached every subscription and the queue is empty. */
  async settle(after: number, timeoutMs: number): Promise<void> {
    await waitFor(
      async () => {
        const served = new Set(this.sseRevisions(after).flat());
        const delivered = this.webhooks(after).every(({ revisions }) =>
          [...served].every((r) => revisions.has(r)),
        );
        return delivered && (await this.inspect.xlen(QUEUE_KEY)) === 0;
      },
      {
        timeoutMs,
        intervalMs: 100,
        message: 'every served revision delivered and the webhook queue drained',
      },
    );
  }

  /**
   * Under evaluation load: deploys (and waits for) one revision, runs `kill` (a SIGKILL of a Redis
   * master, resolving once Redis has a new one), deploys right after the kill and waits until every
   * replica serves it, deploys once more, then waits for the webhooks and counts.
   */
  async failover(
    kill: () => Promise<{ failedOver: Promise<void> }>,
    timeoutMs: number,
  ): Promise<FailoverReport> {
    const { fleet } = this;
    const tokenErrorsBefore = this.logLines(TOKEN_ERROR);
    const deferredBefore = this.logLines(DEFERRED_QUEUEING);
    const after = await this.currentRevision();
    const load = new EvaluationLoad(fleet.replicas, timeoutMs * 2);
    let resumeMs: number;
    let failoverMs = 0;
    try {
      await fleet.deployNext(timeoutMs);
      const killedAt = Date.now();
      const { failedOver } = await kill();
      const failoverDone = failedOver.then(() => void (failoverMs = Date.now() - killedAt));
      failoverDone.catch(() => undefined); // awaited below; a deploy failing first must not leave it unhandled
      await fleet.deployNext(timeoutMs);
      resumeMs = Date.now() - killedAt;
      await failoverDone;
      await fleet.deployNext(timeoutMs);
    } finally {
      await load.stop();
    }
    await this.settle(after, timeoutMs);
    const served = new Set(this.sseRevisions(after).flat());
    let lost = 0;
    let duplicates = 0;
    let duplicateIds = 0;
    for (const { revisions, deliveries } of this.webhooks(after)) {
      lost += [...served].filter((revision) => !revisions.has(revision)).length;
      duplicates += deliveries - revisions.size;
      duplicateIds += [...revisions.values()].filter((ids) => new Set(ids).size > 1).length;
    }
    return {
      evaluations: load.ok + load.failed,
      failedEvaluations: load.failed,
      evaluationFailures: [...load.failures],
      lostWebhooks: lost,
      duplicateWebhooks: duplicates,
      duplicateWebhookIds: duplicateIds,
      resumeMs,
      failoverMs,
      tokenErrors: this.logLines(TOKEN_ERROR) - tokenErrorsBefore,
      deferredQueueing: this.logLines(DEFERRED_QUEUEING) - deferredBefore,
    };
  }

  /** Resolves once some replica failed to queue a change's webhooks at once (from now on). */
  async waitForDeferredQueueing(timeoutMs: number): Promise<void> {
    const before = this.logLines(DEFERRED_QUEUEING);
    await waitFor(() => this.logLines(DEFERRED_QUEUEING) > before, {
      timeoutMs,
      intervalMs: 50,
      message: 'a change whose webhooks could not be queued at once',
    });
  }

  private logLines(pattern: RegExp): number {
    return this.fleet.replicas
      .map(
        (replica) =>
          replica
            .logs()
            .split('\n')
            .filter((line) => pattern.test(line)).length,
      )
      .reduce((a, b) => a + b, 0);
  }

  logs(): string {
    return this.fleet.replicas.map((replica) => `--- ${replica.name}\n${replica.logs()}`).join('\n');
  }

  async stop(): Promise<void> {
    for (const stream of this.streams) stream.close();
    await this.fleet.stop();
    this.inspect.disconnect();
    await Promise.all(this.receivers.map((receiver) => receiver.close()));
  }
}
