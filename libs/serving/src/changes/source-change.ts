import type { CompiledFlags } from '@flagfleet/flag-engine';

/**
 * What happened to a source: a revision loaded (its first load included, which is how a source added at run
 * time is first heard of), or the source removed (its file is gone; nothing of it is served any more).
 */
export type SourceChangeKind = 'revision' | 'removed';

/**
 * The one change type every protocol consumes (SSE, flagd EventStream and sync, webhooks): a plain value, so
 * the feed knows nothing of where sources come from.
 */
export interface SourceChange {
  readonly kind: SourceChangeKind;
  /** `application/environment/profile` */
  readonly source: string;
  /** The revision now served; for `removed`, the last one that was. */
  readonly revision: number;
  readonly previousRevision: number | null;
  readonly versionLabel: string | null;
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly string[];
  readonly previous: CompiledFlags | null;
  /** null: not a flag document (a freeform profile), or the source was removed. */
  readonly flags: CompiledFlags | null;
  /** Of the bytes now served (null once removed): with the revision, names what a client has seen. */
  readonly contentHash: string | null;
  /** Epoch ms the configuration was fetched. */
  readonly fetchedAt: number;
  /** true only on the replica whose store write created the revision (it alone enqueues webhooks). */
  readonly publishedHere: boolean;
}

/**
 * A source's removal as a change: every flag it served is removed. `last` is what it served; a source that
 * never loaded removes nothing but is still announced, so streams selecting it end.
 */
export function sourceRemoved(
  source: string,
  last: {
    readonly revision: number;
    readonly versionLabel: string | null;
    readonly flags: CompiledFlags | null;
    readonly fetchedAt: number;
  } | null,
): SourceChange {
  return {
    kind: 'removed',
    source,
    revision: last?.revision ?? 0,
    previousRevision: last?.revision ?? null,
    versionLabel: last?.versionLabel ?? null,
    added: [],
    removed: last?.flags ? [...last.flags.definitions.keys()] : [],
    changed: [],
    previous: last?.flags ?? null,
    flags: null,
    contentHash: null,
    fetchedAt: last?.fetchedAt ?? 0,
    publishedHere: true,
  };
}
