import { Inject, Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { RejectedConfiguration, SourceKey } from '@flagfleet/config-store';
import { Clock } from '@flagfleet/core';
import { ReadinessChecks, SnapshotRegistry } from '@flagfleet/serving';
import { PollerEvent } from './events';
import { POLLER_OPTIONS, type ResolvedPollerOptions } from './poller-options';

export interface SourceError {
  readonly name: string;
  readonly message: string;
  readonly at: number;
}

/** The newest configuration AppConfig served that was refused, and the revision serving instead. */
export interface SourceRejection extends RejectedConfiguration {
  /** null when nothing was ever loaded: the source is not ready. */
  readonly servingRevision: number | null;
}

/** What health and status pages show per source; times are epoch ms. */
export interface SourceStatus {
  readonly source: SourceKey;
  /**
   * false while this replica's polls of the source fail (AppConfig or the store), while the newest
   * configuration is a rejected one, or while the source is stale (the last good snapshot keeps serving).
   */
  readonly healthy: boolean;
  /**
   * The fleet's last successful poll is older than two poll intervals (plus one scheduler tick, the time a
   * replica takes to hear of it): nobody is polling. Readiness is unaffected: stale data is still data.
   */
  readonly stale: boolean;
  /** Epoch ms of the fleet's last successful poll (by any replica), as the shared token last told this one. */
  readonly fleetPolledAt: number | null;
  readonly snapshotLoaded: boolean;
  readonly revision: number | null;
  readonly versionLabel: string | null;
  /** Last GetLatestConfiguration attempt by this replica (null when another replica holds the lease). */
  readonly lastPollAt: number | null;
  readonly lastSuccessAt: number | null;
  /** The last failed poll, or the last rejected configuration when that came later. */
  readonly lastError: SourceError | null;
  readonly consecutiveFailures: number;
  /** Set while the newest configuration (as the fleet's shared token records it) was rejected. */
  readonly rejection: SourceRejection | null;
  /** Owner id of the poll lease when last seen, null when free. */
  readonly leaseHolder: string | null;
  /** The fleet's next planned poll of the source (this replica's retry, when it backs off). */
  readonly nextPollAt: number | null;
}

/** The poller's own facts about a source; snapshot facts are read live from SnapshotRegistry. */
export type PollFacts = Pick<
  SourceStatus,
  'lastPollAt' | 'lastSuccessAt' | 'lastError' | 'consecutiveFailures' | 'leaseHolder' | 'nextPollAt'
> & {
  readonly rejected: RejectedConfiguration | null;
  /** The poll interval AppConfig last asked for (ms). */
  readonly pollIntervalMs: number | null;
  readonly fleetPolledAt: number | null;
};

const NO_FACTS: PollFacts = {
  lastPollAt: null,
  lastSuccessAt: null,
  lastError: null,
  consecutiveFailures: 0,
  leaseHolder: null,
  nextPollAt: null,
  rejected: null,
  pollIntervalMs: null,
  fleetPolledAt: null,
};

@Injectable()
export class PollerStatus {
  private readonly facts = new Map<SourceKey, PollFacts>();

  private readonly tickMs: number;
  /** The sources configured at start: readiness waits for these, not for ones added at run time. */
  private readonly required: ReadonlySet<SourceKey>;
  /** whenReady's checks, run when a rejection is recorded (it can make the service ready). */
  private readonly recorded = new Set<() => void>();

  constructor(
    @Inject(POLLER_OPTIONS) options: ResolvedPollerOptions,
    private readonly snapshots: SnapshotRegistry,
    private readonly events: EventEmitter2,
    private readonly clock: Clock,
    readiness: ReadinessChecks,
  ) {
    this.tickMs = options.schedulerTickMs;
    // The poller is one source among any: readiness hears of its sources through the one mechanism.
    readiness.add(this);
    for (const source of options.sources) this.facts.set(source.key, NO_FACTS);
    this.required = new Set(options.sources.map((source) => source.key));
  }

  sources(): SourceStatus[] {
    return this.snapshots.sources().map((source) => {
      const { rejected, pollIntervalMs, ...facts } = this.facts.get(source) ?? NO_FACTS;
      const snapshot = this.snapshots.get(source);
      const rejection = rejected && { ...rejected, servingRevision: snapshot?.revision ?? null };
      const stale =
        facts.fleetPolledAt !== null &&
        pollIntervalMs !== null &&
        this.clock.now() - facts.fleetPolledAt > 2 * pollIntervalMs + this.tickMs;
      return {
        source,
        healthy: facts.consecutiveFailures === 0 && rejection === null && !stale,
        stale,
        snapshotLoaded: snapshot !== undefined,
        revision: snapshot?.revision ?? null,
        versionLabel: snapshot?.versionLabel ?? null,
        ...facts,
        lastError: latestError(facts.lastError, rejection),
        rejection,
      };
    });
  }

  /** Every source configured at start has a snapshot to serve. */
  isReady(): boolean {
    return this.waitingFor().length === 0;
  }

  /**
   * Sources configured at start that have no snapshot yet and were not tried and rejected (a source added
   * later never blocks readiness). A rejected source does not hold readiness: one bad document would
   * otherwise keep a restarted replica out of rotation forever, where at run time it only stays unserved;
   * /status shows it unhealthy, with the rejection.
   */
  waitingFor(): SourceKey[] {
    return this.snapshots
      .sources()
      .filter(
        (source) =>
          this.required.has(source) &&
          this.snapshots.get(source) === undefined &&
          !this.facts.get(source)?.rejected,
      );
  }

  /** Resolves true once ready, false after `timeoutMs` (default: wait as long as it takes). */
  whenReady(timeoutMs?: number): Promise<boolean> {
    if (this.isReady()) return Promise.resolve(true);
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const check = (): void => {
        if (!this.isReady()) return;
        finish(true);
      };
      const finish = (ready: boolean): void => {
        clearTimeout(timer);
        this.events.off(PollerEvent.FLAGS_CHANGED, check);
        this.recorded.delete(check);
        resolve(ready);
      };
      // Every first snapshot of a source is announced with flags.changed; a rejection is recorded.
      this.events.on(PollerEvent.FLAGS_CHANGED, check);
      this.recorded.add(check);
      if (timeoutMs !== undefined) timer = setTimeout(() => finish(this.isReady()), timeoutMs);
    });
  }

  /** Only the poller calls this, when it stops polling a source. */
  forget(source: SourceKey): void {
    this.facts.delete(source);
  }

  /** Only the source pollers call this. */
  record(source: SourceKey, update: Partial<PollFacts>): void {
    this.facts.set(source, { ...(this.facts.get(source) ?? NO_FACTS), ...update });
    if (update.rejected) for (const waiter of [...this.recorded]) waiter();
  }
}

function latestError(pollError: SourceError | null, rejection: SourceRejection | null): SourceError | null {
  if (!rejection || (pollError && pollError.at > rejection.at)) return pollError;
  const serving =
    rejection.servingRevision === null
      ? 'nothing loaded yet'
      : `revision ${rejection.servingRevision} keeps serving`;
  return {
    name: 'ConfigRejected',
    message: `configuration ${rejection.versionLabel ?? rejection.contentHash} rejected (${rejection.problemCodes.join(', ')}); ${serving}`,
    at: rejection.at,
  };
}
