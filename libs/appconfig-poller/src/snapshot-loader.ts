import { Inject, Injectable } from '@nestjs/common';
import {
  CONFIG_STORE,
  type ConfigStore,
  StoredDocumentCorruptError,
  StoredDocumentTooLargeError,
  type PublishOutcome,
  type SourceKey,
  type StoredDocument,
} from '@flagfleet/config-store';
import { diffFlagsInSteps, runInSlices, type CompiledFlags, type FlagDiff } from '@flagfleet/flag-engine';
import { BackupDir } from './backup-dir';
import { compileFlags, compileSnapshot, type FlagsCompilation } from './compile-snapshot';
import { SnapshotRegistry } from '@flagfleet/serving';
import { Clock, Logger } from '@flagfleet/core';
import type { ConfigSnapshot } from '@flagfleet/serving';
import type { FlagsChangedEvent } from './events';
import { PollerEvents } from './poller-events';
import { POLLER_OPTIONS, type ResolvedPollerOptions } from './poller-options';
import { PollerStatus } from './poller-status';

type Origin = 'store' | 'backup';

/**
 * Moves this replica's snapshots from revision to revision: on start-up (store, else backup), on every
 * revision the store announces, and right after this replica publishes. Work for one source runs
 * strictly in order, so each revision move is applied, and announced with `flags.changed`, exactly once.
 */
@Injectable()
export class SnapshotLoader {
  private readonly logger: Logger;
  private readonly queues = new Map<SourceKey, Promise<void>>();
  private readonly origins = new Map<SourceKey, Origin>();

  constructor(
    @Inject(CONFIG_STORE) private readonly store: ConfigStore,
    private readonly snapshots: SnapshotRegistry,
    private readonly backup: BackupDir,
    private readonly events: PollerEvents,
    private readonly clock: Clock,
    logger: Logger,
    @Inject(POLLER_OPTIONS) private readonly options: ResolvedPollerOptions,
    private readonly status: PollerStatus,
  ) {
    this.logger = logger.child('poller');
  }

  /** Start-up: the fleet's current document if the store has one (no AppConfig call), else the local backup. */
  loadInitial(source: SourceKey): Promise<void> {
    return this.serially(source, async () => {
      const stored = await this.store.readDocument(source).catch((error: Error) => {
        this.logger.warn(`store unreadable at start-up for ${source}: ${error.message}`);
        this.recordRefused(source, error);
        return null;
      });
      if (stored) return this.apply(stored, 'store', false);
      const backedUp = await this.backup.read(source);
      if (backedUp) await this.apply(backedUp, 'backup', false);
    });
  }

  /** The store announced a revision (published by any replica, this one included). */
  onRevision(source: SourceKey, revision: number): Promise<void> {
    return this.serially(source, async () => {
      if (!this.isNewer(source, revision)) return;
      const stored = await this.store.readDocument(source).catch((error: Error) => {
        this.recordRefused(source, error);
        throw error;
      });
      if (stored && this.isNewer(source, stored.revision)) await this.apply(stored, 'store', false);
    });
  }

  /**
   * Runs this replica's publish in the source's queue, so the announcement of the revision it creates
   * (which may arrive before `write` returns) finds the snapshot already moved and is skipped.
   * `write` gets the lowest revision it may take: revisions never go backwards, even when the store
   * lost its data. `compiled`, when given, is what the bytes `write` publishes compile to: applying them
   * does not compile them again.
   */
  publish(
    source: SourceKey,
    write: (minRevision: number) => Promise<PublishOutcome>,
    compiled?: FlagsCompilation,
  ): Promise<void> {
    return this.serially(source, async () => {
      const outcome = await write((this.snapshots.get(source)?.revision ?? 0) + 1);
      if (outcome.published && this.isNewer(source, outcome.document.revision)) {
        await this.apply(outcome.document, 'store', true, compiled);
      }
    });
  }

  /** Resolves when every queued load has finished (used at shutdown). */
  async drain(): Promise<void> {
    await Promise.all([...this.queues.values()]);
  }

  /** A stored document refused on read (too large, not matching its hash) shows in `/status`; the last good one serves. */
  private recordRefused(source: SourceKey, error: Error): void {
    if (!(error instanceof StoredDocumentTooLargeError || error instanceof StoredDocumentCorruptError))
      return;
    this.status.record(source, {
      lastError: { name: error.code, message: error.message, at: this.clock.now() },
    });
  }

  private isNewer(source: SourceKey, revision: number): boolean {
    const current = this.snapshots.get(source);
    // A backup's revision numbers come from another store's lifetime: any store revision supersedes it.
    return !current || this.origins.get(source) === 'backup' || revision > current.revision;
  }

  private serially(source: SourceKey, task: () => Promise<void>): Promise<void> {
    const previous = this.queues.get(source) ?? Promise.resolve();
    const next = previous.then(task);
    // The queue itself never rejects, so a failed task does not block the ones after it; its caller sees the error.
    this.queues.set(
      source,
      next.catch(() => undefined),
    );
    return next;
  }

  private async apply(
    document: StoredDocument,
    origin: Origin,
    publishedHere: boolean,
    flags?: FlagsCompilation,
  ): Promise<void> {
    const previous = this.snapshots.get(document.source) ?? null;
    const flagsOf =
      flags ?? (await compileFlags(document, previous?.flags ?? null, this.options.documentLimits));
    // Identical bytes under a new revision (backup -> store, a store that lost its data and was refilled)
    // are the same configuration: nothing changed for callers.
    const unchanged = previous !== null && previous.contentHash === document.contentHash;
    const diff = flagsOf.ok && !unchanged ? await flagDiff(previous?.flags ?? null, flagsOf.flags) : null;
    // Stamped once compiled: loadedAt is when this replica starts serving the revision.
    const compiled = compileSnapshot(document, flagsOf, this.clock.now());
    if (!compiled.ok) {
      // Only reachable when another replica (another flag-engine version) accepted what this one cannot.
      this.events.configRejected({
        source: document.source,
        versionLabel: document.versionLabel,
        contentHash: document.contentHash,
        problems: compiled.problems,
      });
      return;
    }
    const snapshot = compiled.snapshot;
    this.snapshots.replace(snapshot);
    this.origins.set(document.source, origin);
    if (origin === 'store') void this.backup.write(document);
    if (diff === null) return;
    this.events.flagsChanged(changeEvent(previous, snapshot, publishedHere, diff));
  }
}

/** In slices, like the compile: 10,000 changed flags do not hold the event loop while they are compared. */
function flagDiff(before: CompiledFlags | null, after: CompiledFlags | null): Promise<FlagDiff> {
  // A profile that stops being a flag document (freeform content) removes every flag it had.
  if (after === null)
    return Promise.resolve({ added: [], removed: before ? [...before.definitions.keys()] : [], changed: [] });
  return runInSlices(diffFlagsInSteps(before, after));
}

function changeEvent(
  previous: ConfigSnapshot | null,
  snapshot: ConfigSnapshot,
  publishedHere: boolean,
  diff: FlagDiff,
): FlagsChangedEvent {
  return {
    source: snapshot.source,
    revision: snapshot.revision,
    previousRevision: previous?.revision ?? null,
    versionLabel: snapshot.versionLabel,
    added: diff.added,
    removed: diff.removed,
    changed: diff.changed,
    publishedHere,
    snapshot,
    previous,
  };
}
