import type { HandlerContext, ServiceImpl } from '@connectrpc/connect';
import type { CompiledFlags } from '@flagfleet/flag-engine';
import { FlagSyncService } from '../gen/flagd/sync/v1/sync_pb';
import { Mailbox } from '../changes/mailbox';
import { releaseOnAbort } from '../changes/release-on-abort';
import type { FlagdChangeFeed } from '../changes/change-feed';
import type { FlagdMetrics, FlagdSnapshots } from '../flagd-options';
import { SELECTOR_HEADER, selectedFlags, selectedSource } from '../selection/source-selector';
import { syncDocument } from './sync-document';

export interface FlagSyncDeps {
  readonly feed: FlagdChangeFeed;
  readonly snapshots: FlagdSnapshots;
  readonly keepAliveMs: number;
  /** The largest document a client may be sent (FLAGD_MAX_MESSAGE_BYTES). */
  readonly maxMessageBytes: number;
  readonly metrics?: FlagdMetrics;
}

// flagd sends its static context (none unless configured) as sync_context and as GetMetadata's answer.
const SYNC_CONTEXT = {};

function selected(deps: FlagSyncDeps, context: HandlerContext, field: string) {
  const source = selectedSource(deps.snapshots, context.requestHeader.get(SELECTOR_HEADER), field);
  return { source, ...selectedFlags(deps.snapshots, source) };
}

/** `flagd.sync.v1.FlagSyncService`: whole documents for in-process providers and flagd sidecars. */
export function flagSyncService(deps: FlagSyncDeps): ServiceImpl<typeof FlagSyncService> {
  return {
    async *syncFlags(request, context) {
      // No await between this read and the subscription below: no revision can fall between the two.
      const { source, flags } = selected(deps, context, request.selector);
      // Latest wins: a slow reader is sent the newest document, never a backlog.
      const mailbox = new Mailbox<CompiledFlags>((_pending, next) => next);
      const unsubscribe = deps.feed.subscribe(source, (update) => {
        // A revision that is not a flag document never reaches sync clients: they keep the last good one.
        if (update.flags !== null) mailbox.put(update.flags);
      });
      deps.metrics?.streamsChanged('sync', 1);
      const release = releaseOnAbort(context.signal, () => {
        unsubscribe();
        deps.metrics?.streamsChanged('sync', -1);
      });
      try {
        let sent = flags;
        yield { flagConfiguration: syncDocument(sent, deps.maxMessageBytes), syncContext: SYNC_CONTEXT };
        for (;;) {
          const next = await mailbox.take(context.signal, deps.keepAliveMs);
          if (next === undefined || next === sent) continue;
          sent = next;
          yield { flagConfiguration: syncDocument(sent, deps.maxMessageBytes), syncContext: SYNC_CONTEXT };
        }
      } finally {
        release();
      }
    },
    fetchAllFlags: (request, context) => ({
      flagConfiguration: syncDocument(selected(deps, context, request.selector).flags, deps.maxMessageBytes),
    }),
    getMetadata: () => ({ metadata: SYNC_CONTEXT }),
  };
}
