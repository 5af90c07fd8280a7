import { Inject, Injectable } from '@nestjs/common';
import type { SourceKey } from '@flagfleet/config-store';
import type { ConfigSnapshot } from './events';
import { POLLER_OPTIONS, type ResolvedPollerOptions } from './poller-options';

/**
 * The snapshots this replica serves. Evaluation reads only this (no I/O); a snapshot is immutable and
 * replaced whole, so a reader sees either the old or the new configuration, never a mix.
 */
@Injectable()
export class ConfigSnapshots {
  readonly defaultSource: SourceKey;
  private keys: readonly SourceKey[];
  private readonly current = new Map<SourceKey, ConfigSnapshot>();

  constructor(@Inject(POLLER_OPTIONS) options: ResolvedPollerOptions) {
    this.keys = options.sources.map((source) => source.key);
    this.defaultSource = this.keys[0];
  }

  /** Only the poller calls these, when a source is added or removed at run time (embedded folder). */
  add(source: SourceKey): void {
    if (!this.keys.includes(source)) this.keys = [...this.keys, source];
  }

  remove(source: SourceKey): void {
    this.keys = this.keys.filter((key) => key !== source);
    this.current.delete(source);
  }

  get(source: SourceKey): ConfigSnapshot | undefined {
    return this.current.get(source);
  }

  sources(): SourceKey[] {
    return [...this.keys];
  }

  all(): ConfigSnapshot[] {
    return this.keys.flatMap((key) => this.current.get(key) ?? []);
  }

  /** Only the snapshot loader calls this. */
  replace(snapshot: ConfigSnapshot): void {
    // A load that finishes after its source was removed must not bring it back.
    if (this.keys.includes(snapshot.source)) this.current.set(snapshot.source, snapshot);
  }
}
