import type { SourceKey } from '@flagfleet/config-store';
import type { ConfigSnapshot } from './config-snapshot';

/** What the registry tells its listeners (the change feed): a source appeared or went, a snapshot was replaced. */
export type SnapshotRegistryEvent =
  | { readonly kind: 'source-added'; readonly source: SourceKey }
  | { readonly kind: 'source-removed'; readonly source: SourceKey; readonly last: ConfigSnapshot | null }
  | {
      readonly kind: 'snapshot-replaced';
      readonly snapshot: ConfigSnapshot;
      readonly previous: ConfigSnapshot | null;
    };

/** Called synchronously after the registry changed, so a listener reading the registry sees the new state. */
export type SnapshotListener = (event: SnapshotRegistryEvent) => void;
