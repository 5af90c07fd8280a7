import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { PollerEvent, type FlagsChangedEvent } from '@flagfleet/appconfig-poller';
import { FlagdChangeFeed } from '@flagfleet/flagd-protocol';

/** The `flags.changed` that drives webhooks and SSE also reaches flagd's streams (EventStream, SyncFlags). */
@Injectable()
export class FlagdChangesListener {
  constructor(private readonly feed: FlagdChangeFeed) {}

  @OnEvent(PollerEvent.FLAGS_CHANGED, { suppressErrors: true })
  onFlagsChanged(event: FlagsChangedEvent): void {
    this.feed.publish({
      source: event.source,
      revision: event.revision,
      added: event.added,
      removed: event.removed,
      changed: event.changed,
      previous: event.previous?.flags ?? null,
      flags: event.snapshot.flags,
    });
  }
}
