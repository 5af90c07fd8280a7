import type { HandlerContext } from '@connectrpc/connect';
import type { JsonObject } from '@bufbuild/protobuf';
import { Mailbox } from '../changes/mailbox';
import { releaseOnAbort } from '../changes/release-on-abort';
import type { FlagdChangeFeed } from '../changes/change-feed';
import type { ChangedFlags } from '../changes/configuration-change';
import type { FlagdMetrics, FlagdSnapshots } from '../flagd-options';
import { SELECTOR_HEADER, selectedSource } from '../selection/source-selector';

export interface ProviderEvent {
  readonly type: 'provider_ready' | 'configuration_change' | 'keep_alive';
  readonly data?: JsonObject;
}

export interface EventStreamDeps {
  readonly feed: FlagdChangeFeed;
  readonly snapshots: FlagdSnapshots;
  readonly keepAliveMs: number;
  readonly metrics?: FlagdMetrics;
}

/**
 * flagd's EventStream (v1 and v2 send the same messages): provider_ready on connect, configuration_change
 * with every key a new revision touches, keep_alive after each quiet period. Without a selector the
 * stream covers every source (providers open it without one and evict only the keys named).
 */
export async function* providerEvents(
  deps: EventStreamDeps,
  context: HandlerContext,
): AsyncGenerator<ProviderEvent> {
  const header = context.requestHeader.get(SELECTOR_HEADER);
  const source =
    header === null || header.trim() === '' ? null : selectedSource(deps.snapshots, header, undefined);
  const mailbox = new Mailbox<ChangedFlags>((pending, next) => ({ ...pending, ...next }));
  const unsubscribe = deps.feed.subscribe(source, (update) => {
    if (Object.keys(update.changes).length > 0) mailbox.put(update.changes);
  });
  deps.metrics?.streamsChanged('event', 1);
  const release = releaseOnAbort(context.signal, () => {
    unsubscribe();
    deps.metrics?.streamsChanged('event', -1);
  });
  try {
    yield { type: 'provider_ready', data: {} };
    for (;;) {
      const changes = await mailbox.take(context.signal, deps.keepAliveMs);
      yield changes === undefined
        ? { type: 'keep_alive' }
        : { type: 'configuration_change', data: { flags: changes } };
    }
  } finally {
    release();
  }
}
