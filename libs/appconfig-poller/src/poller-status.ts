import { Inject, Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { SourceKey } from '@flagfleet/config-store';
import { ConfigSnapshots } from './config-snapshots';
import { PollerEvent } from './events';
import { POLLER_OPTIONS, type ResolvedPollerOptions } from './poller-options';

export interface SourceError {
  readonly name: string;
  readonly message: string;
  readonly at: number;
}

/** What health and status pages show per source; times are epoch ms. */
export interface SourceStatus {
  readonly source: SourceKey;
  /** false while this replica's polls of the source fail (it keeps serving the last good snapshot). */
  readonly healthy: boolean;
  readonly snapshotLoaded: boolean;
  readonly revision: number | null;
  readonly versionLabel: string | null;
  /** Last GetLatestConfiguration attempt by this replica (null when another replica holds the lease). */
  readonly lastPollAt: number | null;
  readonly lastSuccessAt: number | null;
  readonly lastError: SourceError | null;
  readonly consecutiveFailures: number;
  /** Owner id of the poll lease when last seen, null when free. */
  readonly leaseHolder: string | null;
  readonly nextPollAt: number | null;
}

/** The poller's own facts about a source; snapshot facts are read live from ConfigSnapshots. */
export type PollFacts = Pick<
  SourceStatus,
  'lastPollAt' | 'lastSuccessAt' | 'lastError' | 'consecutiveFailures' | 'leaseHolder' | 'nextPollAt'
>;

const NO_FACTS: PollFacts = {
  lastPollAt: null,
  lastSuccessAt: null,
  lastError: null,
  consecutiveFailures: 0,
  leaseHolder: null,
  nextPollAt: null,
};

@Injectable()
export class PollerStatus {
  private readonly facts = new Map<SourceKey, PollFacts>();

  constructor(
    @Inject(POLLER_OPTIONS) options: ResolvedPollerOptions,
    private readonly snapshots: ConfigSnapshots,
    private readonly events: EventEmitter2,
  ) {
    for (const source of options.sources) this.facts.set(source.key, NO_FACTS);
  }

  sources(): SourceStatus[] {
    return this.snapshots.sources().map((source) => {
      const facts = this.facts.get(source) ?? NO_FACTS;
      const snapshot = this.snapshots.get(source);
      return {
        source,
        healthy: facts.consecutiveFailures === 0,
        snapshotLoaded: snapshot !== undefined,
        revision: snapshot?.revision ?? null,
        versionLabel: snapshot?.versionLabel ?? null,
        ...facts,
      };
    });
  }

  /** Every source has a snapshot to serve. */
  isReady(): boolean {
    return this.snapshots.sources().every((source) => this.snapshots.get(source) !== undefined);
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
        resolve(ready);
      };
      // Every first snapshot of a source is announced with flags.changed.
      this.events.on(PollerEvent.FLAGS_CHANGED, check);
      if (timeoutMs !== undefined) timer = setTimeout(() => finish(this.isReady()), timeoutMs);
    });
  }

  /** Only the source pollers call this. */
  record(source: SourceKey, update: Partial<PollFacts>): void {
    this.facts.set(source, { ...(this.facts.get(source) ?? NO_FACTS), ...update });
  }
}
