import { Injectable } from '@nestjs/common';
import type { SourceKey } from '@flagfleet/config-store';
import type { ConfigSnapshot } from './config-snapshot';
import type { SnapshotListener, SnapshotRegistryEvent } from './snapshot-listener';

/**
 * The snapshots this replica serves, whatever wrote them (AppConfig polling, the embedded folders). Evaluation
 * reads only this (no I/O); a snapshot is immutable and replaced whole, so a reader sees either the old or the
 * new configuration, never a mix. Sources write; protocols and the change feed read and listen.
 */
@Injectable()
export class SnapshotRegistry {
  private keys: readonly SourceKey[] = [];
  private first: SourceKey | undefined;
  private readonly current = new Map<SourceKey, ConfigSnapshot>();
  private listeners: readonly SnapshotListener[] = [];

  /** The first source ever added: requests that name no source are served from it, even after it is removed. */
  get defaultSource(): SourceKey {
    return this.first ?? '';
  }

  /** A source calls this for each of its keys (at construction for configured ones, later when one appears). */
  add(source: SourceKey): void {
    this.first ??= source;
    if (this.keys.includes(source)) return;
    this.keys = [...this.keys, source];
    this.emit({ kind: 'source-added', source });
  }

  remove(source: SourceKey): void {
    if (!this.keys.includes(source)) return;
    const last = this.current.get(source) ?? null;
    this.keys = this.keys.filter((key) => key !== source);
    this.current.delete(source);
    this.emit({ kind: 'source-removed', source, last });
  }

  get(source: SourceKey): ConfigSnapshot | undefined {
    return this.current.get(source);
  }

  has(source: SourceKey): boolean {
    return this.keys.includes(source);
  }

  sources(): SourceKey[] {
    return [...this.keys];
  }

  all(): ConfigSnapshot[] {
    return this.keys.flatMap((key) => this.current.get(key) ?? []);
  }

  /** A source calls this when it loaded a new snapshot of one of its keys. */
  replace(snapshot: ConfigSnapshot): void {
    // A load that finishes after its source was removed must not bring it back.
    if (!this.keys.includes(snapshot.source)) return;
    const previous = this.current.get(snapshot.source) ?? null;
    this.current.set(snapshot.source, snapshot);
    this.emit({ kind: 'snapshot-replaced', snapshot, previous });
  }

  /** Hears every later change; returns the unsubscribe. A throwing listener does not stop the others. */
  listen(listener: SnapshotListener): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((other) => other !== listener);
    };
  }

  private emit(event: SnapshotRegistryEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A listener's failure is its own (it logs); the registry and the other listeners go on.
      }
    }
  }
}
