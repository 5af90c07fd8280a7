import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { type FlagsChangedEvent, PollerEvent } from '@flagfleet/appconfig-poller';
import { ChangeFeed, SnapshotRegistry, type SourceChange, sourceRemoved } from '@flagfleet/serving';

/** The poller's events as the one change type: every protocol hears them from the feed, never from here. */
export function sourceChange(event: FlagsChangedEvent): SourceChange {
  return {
    kind: 'revision',
    source: event.source,
    revision: event.revision,
    previousRevision: event.previousRevision,
    versionLabel: event.versionLabel,
    added: event.added,
    removed: event.removed,
    changed: event.changed,
    previous: event.previous?.flags ?? null,
    flags: event.snapshot.flags,
    contentHash: event.snapshot.contentHash,
    fetchedAt: event.snapshot.fetchedAt,
    publishedHere: event.publishedHere,
  };
}

/**
 * Publishes to the ChangeFeed each revision loaded (the poller's `flags.changed`: it carries the diff) and
 * each source removed (the registry's hook: whatever kind of source it was).
 */
@Injectable()
export class SourceChangesPublisher implements OnModuleInit, OnModuleDestroy {
  private stop: (() => void) | undefined;

  constructor(
    private readonly feed: ChangeFeed,
    private readonly registry: SnapshotRegistry,
  ) {}

  onModuleInit(): void {
    this.stop = this.registry.listen((event) => {
      if (event.kind === 'source-removed') this.feed.publish(sourceRemoved(event.source, event.last));
    });
  }

  onModuleDestroy(): void {
    this.stop?.();
  }

  @OnEvent(PollerEvent.FLAGS_CHANGED, { suppressErrors: true })
  onFlagsChanged(event: FlagsChangedEvent): void {
    this.feed.publish(sourceChange(event));
  }
}
