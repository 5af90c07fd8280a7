import { Injectable } from '@nestjs/common';
import type { CompiledFlags } from '@flagfleet/flag-engine';
import type { SourceKey } from '@flagfleet/config-store';
import { changedFlags, type ChangedFlags } from './configuration-change';

/** A new revision of a source, as the service's `flags.changed` event reports it. */
export interface FlagdRevision {
  readonly source: SourceKey;
  readonly revision: number;
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly string[];
  readonly previous: CompiledFlags | null;
  /** null: the new content is not a flag document (sync clients keep the last good one). */
  readonly flags: CompiledFlags | null;
}

export interface FlagdUpdate {
  readonly source: SourceKey;
  readonly revision: number;
  readonly flags: CompiledFlags | null;
  readonly changes: ChangedFlags;
}

type Listener = (update: FlagdUpdate) => void;

/**
 * Fans each new revision out to the open streams (EventStream, SyncFlags) of this replica. Fed by the
 * app from the same `flags.changed` event that drives webhooks and SSE.
 */
@Injectable()
export class FlagdChangeFeed {
  private readonly listeners = new Map<Listener, SourceKey | null>();

  /** `source` null: every source (an EventStream without selector). Returns the unsubscribe function. */
  subscribe(source: SourceKey | null, listener: Listener): () => void {
    this.listeners.set(listener, source);
    return () => this.listeners.delete(listener);
  }

  publish(revision: FlagdRevision): void {
    const changes = changedFlags({
      added: revision.added,
      removed: revision.removed,
      changed: revision.changed,
      keys: revision.flags?.keys ?? [],
      previousMetadata: revision.previous?.metadata ?? null,
      metadata: revision.flags?.metadata ?? {},
    });
    const update: FlagdUpdate = {
      source: revision.source,
      revision: revision.revision,
      flags: revision.flags,
      changes,
    };
    for (const [listener, source] of this.listeners) {
      if (source === null || source === revision.source) listener(update);
    }
  }
}
