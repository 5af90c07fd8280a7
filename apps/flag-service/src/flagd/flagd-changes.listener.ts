import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { PollerEvent, type FlagsChangedEvent } from '@flagfleet/appconfig-poller';
import { Logger } from '@flagfleet/core';
import { FlagdChangeFeed, inProcessGaps } from '@flagfleet/flagd-protocol';

/** The `flags.changed` that drives webhooks and SSE also reaches flagd's streams (EventStream, SyncFlags). */
@Injectable()
export class FlagdChangesListener {
  constructor(
    private readonly feed: FlagdChangeFeed,
    private readonly logger: Logger,
  ) {}

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
    // Said once per new or changed flag: the operator learns which flags in-process clients answer with errors.
    const { flags } = event.snapshot;
    const gaps = flags === null ? [] : inProcessGaps(flags, [...event.added, ...event.changed]);
    if (gaps.length > 0)
      this.logger.warn(
        'in-process flagd providers cannot evaluate these AppConfig flags and answer them with the code default; RPC, OFREP and agent clients are unaffected',
        { source: event.source, revision: event.revision, flags: gaps },
      );
  }
}
