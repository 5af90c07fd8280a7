import {
  contentHash,
  LeaseLostError,
  type ConfigStore,
  type PollTokenState,
  type RejectedConfiguration,
} from '@flagfleet/config-store';
import type { AppConfigClient, LatestConfiguration } from './appconfig-client';
import { compileFlags } from './compile-snapshot';
import type { SnapshotRegistry } from '@flagfleet/serving';
import { HeldLease } from './held-lease';
import { describePollFailure, isTokenProblem } from './poll-failure';
import { backoffDelay, nextPollAt, sessionExpired } from './poll-schedule';
import type { Clock, Logger } from '@flagfleet/core';
import type { PollerEvents } from './poller-events';
import type { AppConfigSource, ResolvedPollerOptions } from './poller-options';
import type { PollFacts, PollerStatus } from './poller-status';
import type { SnapshotLoader } from './snapshot-loader';

export interface SourcePollerDeps {
  readonly options: ResolvedPollerOptions;
  readonly store: ConfigStore;
  readonly client: AppConfigClient;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly loader: SnapshotLoader;
  readonly status: PollerStatus;
  readonly events: PollerEvents;
  readonly snapshots: SnapshotRegistry;
}

/**
 * Polls one source for the whole fleet: on each tick, if the shared token says a poll is due and this
 * replica wins the lease, it makes the one GetLatestConfiguration call, stores the next token first,
 * then validates and publishes new bytes. Failures back off (shared through the token's due time).
 */
export class SourcePoller {
  private readonly logger: Logger;
  private readonly abort = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private cycle: Promise<void> = Promise.resolve();
  private stopped = false;
  /** The last tick failed on the store (not on AppConfig): the next tick that goes through recovers. */
  private cycleFailing = false;
  private failures = 0;
  private failingSince = 0;
  private retryAt = 0;

  constructor(
    private readonly source: AppConfigSource & { readonly key: string },
    private readonly deps: SourcePollerDeps,
  ) {
    this.logger = deps.logger.child(`poller ${source.key}`);
  }

  start(): void {
    this.schedule(0);
  }

  /** Stops ticking, abandons an in-flight call and releases the lease. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.abort.abort();
    await this.cycle;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      let dueAt: number | null = null;
      this.cycle = this.tick()
        .then((due) => {
          dueAt = due;
          this.cycleSucceeded();
        })
        .catch((error: Error) => this.cycleFailed(error))
        .finally(() => this.schedule(this.delayUntil(dueAt)));
    }, delayMs);
  }

  /**
   * Wake at the fleet's due time when it is nearer than the next tick: with one shared token the
   * fleet then makes one call per interval, not one per interval plus up to a tick.
   */
  private delayUntil(dueAt: number | null): number {
    const tickMs = this.deps.options.schedulerTickMs;
    if (dueAt === null) return tickMs;
    return Math.min(tickMs, Math.max(0, dueAt - this.deps.clock.now()));
  }

  /** One scheduling step; returns when the next poll is due, when known. */
  private async tick(): Promise<number | null> {
    const { store, clock, options, status } = this.deps;
    if (clock.now() < this.retryAt) return this.retryAt;
    const token = await store.readToken(this.source.key);
    this.observe(token);
    if (token && token.nextPollAt > clock.now()) return token.nextPollAt;
    const held = await HeldLease.acquire(store, this.source.key, options.replicaId, options.leaseTtlMs);
    if (!held) {
      status.record(this.source.key, {
        leaseHolder: (await store.leaseHolder(this.source.key))?.owner ?? null,
      });
      return null;
    }
    status.record(this.source.key, { leaseHolder: options.replicaId });
    try {
      await this.pollHolding(held);
    } finally {
      await held.release();
      status.record(this.source.key, { leaseHolder: null });
    }
    return this.retryAt || null;
  }

  private async pollHolding(held: HeldLease): Promise<void> {
    const { store, client, clock } = this.deps;
    const signal = this.abort.signal;
    // Re-read under the lease: another replica may have polled between our read and our acquisition.
    let stored = await store.readToken(this.source.key);
    this.observe(stored);
    if (stored && stored.nextPollAt > clock.now()) return;
    // A refused token is replaced by a new session; the rejection it recorded still stands.
    const rejected = stored?.rejected;
    // Set while received bytes are not yet published: the session will not send them again.
    let unpublished = false;
    try {
      let answer: LatestConfiguration | null = null;
      let sessionStartedAt = stored?.sessionStartedAt ?? 0;
      if (stored?.unpublished) {
        // The previous holder received content and never published it (lease lost while compiling, or
        // died): its session will not send it again, a new one sends the full document.
        this.logger.warn('previous poll received content it never published; new session');
        this.deps.status.record(this.source.key, {
          lastError: {
            name: 'UnpublishedContent',
            message:
              'the previous lease holder received content it never published; fetched again in a new session',
            at: clock.now(),
          },
        });
      } else if (stored && !sessionExpired(stored.sessionStartedAt, clock.now())) {
        try {
          answer = await client.getLatest(stored.token, signal);
        } catch (error) {
          if (!isTokenProblem(error)) throw error;
          // Expired, reused or corrupted (e.g. a holder died before storing the next one): a new session repairs it.
          this.logger.warn(
            `poll token refused (${describePollFailure(error, [stored.token]).message}); new session`,
          );
          await store.writeToken(held.lease, null);
          stored = null;
        }
      }
      if (!answer) {
        const token = await client.startSession(this.source, signal);
        sessionStartedAt = clock.now();
        answer = await client.getLatest(token, signal);
      }
      const polledAt = clock.now();
      const next: PollTokenState = {
        token: answer.nextToken,
        sessionStartedAt,
        nextPollAt: nextPollAt(polledAt, answer.nextPollIntervalSeconds),
        polledAt,
        intervalMs: answer.nextPollIntervalSeconds * 1000,
        ...(rejected ? { rejected } : {}),
      };
      unpublished = answer.content !== null;
      // The token is single-use and already spent: store its successor before anything else can fail.
      // With content, it is stored marked unpublished and due at once until the content is published:
      // a holder that loses its lease meanwhile cannot write any more, and the next one must not poll on.
      await store.writeToken(
        held.lease,
        unpublished ? { ...next, nextPollAt: polledAt, unpublished: true } : next,
      );
      stored = next;
      this.observe(next);
      if (answer.content) {
        // Only when the data plane reports a change: the control plane's calls join this lease holder's cycle.
        let content = answer.content;
        if (this.deps.options.featureFlagRules === 'hosted') {
          const hosted = await client.hostedConfiguration(this.source, signal);
          content = hosted.content;
          answer = { ...answer, ...hosted, versionLabel: hosted.versionLabel ?? answer.versionLabel };
        }
        stored = await this.receive(answer, content, polledAt, held, next);
        await store.writeToken(held.lease, stored);
        this.observe(stored);
      }
      unpublished = false;
      this.succeeded(polledAt);
    } catch (error) {
      if (error instanceof LeaseLostError) {
        this.logger.warn('poll lease lost during the call; result dropped, the new holder carries on');
        if (unpublished)
          // The token says so too (written before the content was handled): the next holder fetches it again.
          this.deps.status.record(this.source.key, {
            lastError: {
              name: 'LeaseLostAfterFetch',
              message:
                'poll lease lost before the received content was published; the next holder fetches it again',
              at: clock.now(),
            },
          });
        return;
      }
      if (signal.aborted) return;
      if (unpublished) {
        // Forget the session so the next poll starts a new one, which re-sends the full document.
        await store.writeToken(held.lease, null).catch(() => undefined);
        stored = null;
      }
      await this.failed(error, held, stored);
    }
  }

  /** Validates and publishes new bytes; returns the token state, with the rejection recorded or cleared. */
  private async receive(
    answer: LatestConfiguration,
    content: Buffer,
    fetchedAt: number,
    held: HeldLease,
    token: PollTokenState,
  ): Promise<PollTokenState> {
    const { store, loader } = this.deps;
    const hash = contentHash(content);
    const current = await store.readDocument(this.source.key);
    // A new session re-sends the full configuration: identical bytes are not a change.
    if (current?.contentHash === hash) return this.recordRejection(held, token, undefined);
    const candidate = {
      contentType: answer.contentType,
      versionLabel: answer.versionLabel,
      content,
      contentHash: hash,
      fetchedAt,
    };
    const serving = this.deps.snapshots.get(this.source.key)?.flags ?? null;
    const compiled = await compileFlags(candidate, serving, this.deps.options.documentLimits);
    if (!compiled.ok) {
      // Announced once for the fleet: the rejection travels with the token to the next holder.
      if (token.rejected?.contentHash === hash) return token;
      const kept = serving
        ? 'keeping the last good one'
        : 'nothing to serve for this source until a valid one';
      this.logger.warn(`configuration ${answer.versionLabel ?? hash} rejected; ${kept}`);
      this.deps.events.configRejected({
        source: this.source.key,
        versionLabel: answer.versionLabel,
        contentHash: hash,
        problems: compiled.problems,
      });
      return this.recordRejection(held, token, {
        at: fetchedAt,
        versionLabel: answer.versionLabel,
        contentHash: hash,
        problemCodes: [...new Set(compiled.problems.map((problem) => problem.code))],
        problemCount: compiled.problems.length,
      });
    }
    await loader.publish(
      this.source.key,
      (minRevision) => store.publishDocument(held.lease, { ...candidate, minRevision }),
      compiled,
    );
    return this.recordRejection(held, token, undefined);
  }

  /** Stores the token with `rejected` set, or cleared once AppConfig serves a valid configuration. */
  private async recordRejection(
    held: HeldLease,
    token: PollTokenState,
    rejected: RejectedConfiguration | undefined,
  ): Promise<PollTokenState> {
    if (rejected === undefined && token.rejected === undefined) return token;
    const { rejected: _previous, ...rest } = token;
    const next = rejected ? { ...rest, rejected } : rest;
    await this.deps.store.writeToken(held.lease, next);
    this.observe(next);
    return next;
  }

  /**
   * What the shared token tells this replica's status: the fleet's next poll, its last successful one
   * (a replica that stops hearing of polls sees the source go stale) and any pending rejection.
   */
  private observe(token: PollTokenState | null): void {
    this.deps.status.record(this.source.key, {
      nextPollAt: Math.max(token?.nextPollAt ?? 0, this.retryAt) || null,
      rejected: token?.rejected ?? null,
      ...(token?.polledAt !== undefined ? { fleetPolledAt: token.polledAt } : {}),
      ...(token?.intervalMs !== undefined ? { pollIntervalMs: token.intervalMs } : {}),
    });
  }

  private succeeded(at: number): void {
    this.retryAt = 0;
    this.recover(at);
    // Recorded when the attempt ends, with its successor planned: nextPollAt never trails lastPollAt.
    this.deps.status.record(this.source.key, { lastPollAt: at, lastSuccessAt: at });
  }

  /** The store calls of a tick (token read, lease) failed: no poll can happen, so it counts as a failure. */
  private cycleFailed(error: Error): void {
    this.logger.error(`poll cycle failed: ${error.message}`);
    this.cycleFailing = true;
    this.recordFailure(describePollFailure(error, []), this.deps.options.schedulerTickMs, {});
  }

  /** A tick went through again; unless a poll failed meanwhile (it backs off), the source has recovered. */
  private cycleSucceeded(): void {
    if (!this.cycleFailing) return;
    this.cycleFailing = false;
    if (this.retryAt === 0) this.recover(this.deps.clock.now());
  }

  private recover(at: number): void {
    if (this.failures > 0) {
      this.logger.info(`recovered after ${this.failures} failed poll(s)`);
      this.deps.events.pollerRecovered({ source: this.source.key, downForMs: at - this.failingSince });
    }
    this.failures = 0;
    this.deps.status.record(this.source.key, { consecutiveFailures: 0 });
  }

  private async failed(error: unknown, held: HeldLease, stored: PollTokenState | null): Promise<void> {
    const { clock, options, store } = this.deps;
    const now = clock.now();
    const retryInMs = backoffDelay(this.failures + 1, {
      minMs: options.backoffMinMs,
      maxMs: options.backoffMaxMs,
    });
    this.retryAt = now + retryInMs;
    const failure = describePollFailure(error, [stored?.token]);
    // Share the backoff with the fleet, so the next lease holder does not retry at once.
    if (stored)
      await store.writeToken(held.lease, { ...stored, nextPollAt: this.retryAt }).catch(() => undefined);
    this.logger.warn(`poll failed with ${failure.name}: ${failure.message}; retry in ${retryInMs} ms`);
    this.recordFailure(failure, retryInMs, { lastPollAt: now, nextPollAt: this.retryAt });
  }

  private recordFailure(
    failure: { readonly name: string; readonly message: string },
    retryInMs: number,
    facts: Partial<PollFacts>,
  ): void {
    const now = this.deps.clock.now();
    if (this.failures === 0) this.failingSince = now;
    this.failures += 1;
    this.deps.status.record(this.source.key, {
      ...facts,
      lastError: { ...failure, at: now },
      consecutiveFailures: this.failures,
    });
    this.deps.events.pollerError({
      source: this.source.key,
      errorName: failure.name,
      message: failure.message,
      retryInMs,
    });
  }
}
