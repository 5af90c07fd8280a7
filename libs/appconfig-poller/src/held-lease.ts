import type { ConfigStore, PollLease, SourceKey } from '@flagfleet/config-store';

/**
 * A poll lease this replica holds, renewed in the background for as long as a poll runs (a slow
 * AppConfig call must not let it expire). Losing it is not an error here: the fenced store write
 * that follows fails with LeaseLostError and the result is dropped.
 */
export class HeldLease {
  private renewal: NodeJS.Timeout | undefined;

  private constructor(
    private readonly store: ConfigStore,
    private current: PollLease,
    private readonly ttlMs: number,
  ) {
    this.renewal = setInterval(() => void this.renew(), Math.max(1, Math.floor(ttlMs / 3)));
  }

  static async acquire(
    store: ConfigStore,
    source: SourceKey,
    owner: string,
    ttlMs: number,
  ): Promise<HeldLease | null> {
    const lease = await store.acquireLease(source, owner, ttlMs);
    return lease ? new HeldLease(store, lease, ttlMs) : null;
  }

  /** The lease to write with (its fence is what the store checks). */
  get lease(): PollLease {
    return this.current;
  }

  async release(): Promise<void> {
    clearInterval(this.renewal);
    this.renewal = undefined;
    await this.store.releaseLease(this.current).catch(() => false);
  }

  private async renew(): Promise<void> {
    try {
      const renewed = await this.store.renewLease(this.current, this.ttlMs);
      if (renewed) this.current = renewed;
      else clearInterval(this.renewal);
    } catch {
      // Store briefly unreachable: the next renewal (or the lease's expiry) settles it.
    }
  }
}
