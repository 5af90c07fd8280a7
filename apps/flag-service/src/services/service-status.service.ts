import { Inject, Injectable } from '@nestjs/common';
import { PollerStatus, type SourceRejection, type SourceStatus } from '@flagfleet/appconfig-poller';
import { SnapshotRegistry } from '@flagfleet/serving';
import { CONFIG_STORE, type ConfigStore, type StoreHealth } from '@flagfleet/config-store';
import { ServiceConfig } from '../config';
import { Readiness } from './readiness.service';

export interface ServiceStatusView {
  replicaId: string;
  ready: boolean;
  /** degraded while the store fails or any source is unhealthy or stale; readiness is separate. */
  health: 'ok' | 'degraded';
  uptimeSeconds: number;
  mode: 'embedded' | 'appconfig';
  store: Omit<StoreHealth, 'failingSince'> & { failingSince?: string };
  sources: Array<
    Omit<
      SourceStatus,
      'lastPollAt' | 'lastSuccessAt' | 'nextPollAt' | 'lastError' | 'rejection' | 'fleetPolledAt'
    > & {
      lastPollAt: string | null;
      fleetPolledAt: string | null;
      lastSuccessAt: string | null;
      nextPollAt: string | null;
      lastError: { name: string; message: string; at: string } | null;
      rejection: (Omit<SourceRejection, 'at'> & { at: string }) | null;
      /** The snapshot served here: when its bytes were fetched (by whichever replica) and loaded here. */
      fetchedAt: string | null;
      loadedAt: string | null;
      contentHash: string | null;
    }
  >;
}

const isoAt = (ms: number): string => new Date(ms).toISOString();
const iso = (ms: number | null): string | null => (ms === null ? null : isoAt(ms));

function storeView({ failingSince, ...health }: StoreHealth): ServiceStatusView['store'] {
  return failingSince === undefined ? health : { ...health, failingSince: isoAt(failingSince) };
}

/** The `/status` page: per source revision, version label, last poll, last error, lease holder; store health. */
@Injectable()
export class ServiceStatus {
  constructor(
    private readonly config: ServiceConfig,
    private readonly poller: PollerStatus,
    private readonly snapshots: SnapshotRegistry,
    private readonly readiness: Readiness,
    @Inject(CONFIG_STORE) private readonly store: ConfigStore,
  ) {}

  view(): ServiceStatusView {
    const store = this.store.health();
    const sources = this.poller.sources();
    return {
      replicaId: this.config.replicaId,
      ready: this.readiness.state().ready,
      health: store.connected && sources.every((source) => source.healthy) ? 'ok' : 'degraded',
      uptimeSeconds: Math.round(process.uptime()),
      mode: this.config.sources.mode,
      store: storeView(store),
      sources: sources.map((source) => {
        const snapshot = this.snapshots.get(source.source);
        return {
          ...source,
          lastPollAt: iso(source.lastPollAt),
          fleetPolledAt: iso(source.fleetPolledAt),
          lastSuccessAt: iso(source.lastSuccessAt),
          nextPollAt: iso(source.nextPollAt),
          lastError: source.lastError && { ...source.lastError, at: isoAt(source.lastError.at) },
          rejection: source.rejection && { ...source.rejection, at: isoAt(source.rejection.at) },
          fetchedAt: iso(snapshot?.fetchedAt ?? null),
          loadedAt: iso(snapshot?.loadedAt ?? null),
          contentHash: snapshot?.contentHash ?? null,
        };
      }),
    };
  }
}
