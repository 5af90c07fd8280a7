import { Injectable } from '@nestjs/common';
import { ConfigSnapshots, type ConfigSnapshot } from '@flagfleet/appconfig-poller';

export type SnapshotLookup =
  | { readonly ok: true; readonly snapshot: ConfigSnapshot }
  | { readonly ok: false; readonly reason: 'unknown-source' | 'not-loaded'; readonly source: string };

/** Names another configured source than the default, per request (OFREP). */
export const SOURCE_HEADER = 'x-flagfleet-source';

/** Picks the snapshot a request reads: the default source, or the one named by `X-Flagfleet-Source`. */
@Injectable()
export class SnapshotResolver {
  constructor(private readonly snapshots: ConfigSnapshots) {}

  resolve(requested: string | string[] | undefined): SnapshotLookup {
    const source =
      typeof requested === 'string' && requested.length > 0 ? requested : this.snapshots.defaultSource;
    const snapshot = this.snapshots.get(source);
    if (snapshot) return { ok: true, snapshot };
    const known = this.snapshots.sources().includes(source);
    return { ok: false, reason: known ? 'not-loaded' : 'unknown-source', source };
  }
}
