import type { HandlerContext } from '@connectrpc/connect';
import type { JsonObject } from '@bufbuild/protobuf';
import { type ChangeFeed, type EvaluationPort, releaseOnAbort, type SourceChange } from '@flagfleet/serving';
import { changedFlags, type ChangedFlags } from '../changes/configuration-change';
import type { FlagdMetrics } from '../flagd-options';
import { SELECTOR_HEADER, parseSelector } from '../selection/source-selector';
import { linkSignals } from '../streams/linked-signal';
import { admitStream, type StreamAdmission } from '../streams/stream-admission';

export interface ProviderEvent {
  readonly type: 'provider_ready' | 'configuration_change' | 'keep_alive' | 'provider_shutdown';
  readonly data?: JsonObject;
}

export interface EventStreamDeps {
  readonly feed: ChangeFeed;
  /** Resolves the selected source: the port's refusals, worded once. */
  readonly port: EvaluationPort;
  readonly keepAliveMs: number;
  readonly metrics?: FlagdMetrics;
  /** EventStreams open on this port (v1 and v2 together), capped by FLAGD_MAX_EVENT_STREAMS. */
  readonly admission: StreamAdmission;
  /** Aborts when the server starts shutting down: each stream says provider_shutdown and ends (as flagd). */
  readonly ending?: AbortSignal;
}

/** The keys a change touches, as flagd names them: a removed source deletes every flag it served. */
function touchedFlags(change: SourceChange): ChangedFlags {
  return changedFlags({
    added: change.added,
    removed: change.removed,
    changed: change.changed,
    keys: change.flags?.keys ?? [],
    previousMetadata: change.kind === 'removed' ? null : (change.previous?.metadata ?? null),
    metadata: change.flags?.metadata ?? {},
  });
}

/**
 * flagd's EventStream (v1 and v2 send the same messages): provider_ready on connect, configuration_change
 * with every key a change touches (a revision, a source added or removed), keep_alive after each quiet
 * period, provider_shutdown when the server shuts down. Without a selector the stream covers every source
 * (providers open it without one and evict only the keys named).
 */
export async function* providerEvents(
  deps: EventStreamDeps,
  context: HandlerContext,
): AsyncGenerator<ProviderEvent> {
  // A source selector follows that source (known or not yet: its first load is a change); anything else, every source.
  const selection = parseSelector(context.requestHeader.get(SELECTOR_HEADER), undefined);
  const source = selection.by === 'source' ? selection.source : null;
  const slot = admitStream(deps.admission);
  const linked = deps.ending ? linkSignals(context.signal, deps.ending) : undefined;
  const signal = linked?.signal ?? context.signal;
  const changes = deps.feed.subscribe<ChangedFlags>({
    source,
    signal,
    pick: (change) => {
      const flags = touchedFlags(change);
      return Object.keys(flags).length > 0 ? flags : undefined;
    },
    merge: (pending, next) => ({ ...pending, ...next }),
  });
  deps.metrics?.streamsChanged('event', 1);
  // On abort too: a stream destroyed while a write waits for `drain` never resumes this generator.
  const release = releaseOnAbort(context.signal, () => {
    changes.release();
    linked?.unlink();
    slot();
    deps.metrics?.streamsChanged('event', -1);
  });
  try {
    yield { type: 'provider_ready', data: {} };
    for (;;) {
      let flags: ChangedFlags | undefined;
      try {
        flags = await changes.next(deps.keepAliveMs);
      } catch (error) {
        if (context.signal.aborted || !deps.ending?.aborted) throw error;
        yield { type: 'provider_shutdown' };
        return;
      }
      yield flags === undefined ? { type: 'keep_alive' } : { type: 'configuration_change', data: { flags } };
    }
  } finally {
    release();
  }
}
