import { Code, ConnectError, type ServiceImpl } from '@connectrpc/connect';
import { NO_FLAGS, type CompiledFlags } from '@flagfleet/flag-engine';
import { type ChangeFeed, type EvaluationPort, latest, releaseOnAbort } from '@flagfleet/serving';
import { FlagSyncService } from '../gen/flagd/sync/v1/sync_pb';
import type { FlagdMetrics } from '../flagd-options';
import { SELECTOR_HEADER, parseSelector, selectedFlags } from '../selection/source-selector';
import { syncDocumentSliced } from './sync-document';
import { admitStream, type StreamAdmission } from '../streams/stream-admission';
import { connectHandlers, type UnaryEvaluations } from '../evaluation/unary-evaluation';

export interface FlagSyncDeps {
  readonly feed: ChangeFeed;
  /** Resolves the selected source: the port's refusals, worded once. */
  readonly port: EvaluationPort;
  readonly keepAliveMs: number;
  /** The largest document a client may be sent (FLAGD_MAX_MESSAGE_BYTES). */
  readonly maxMessageBytes: number;
  readonly metrics?: FlagdMetrics;
  /** SyncFlags streams open on this port, capped by FLAGD_MAX_SYNC_STREAMS. */
  readonly admission: StreamAdmission;
}

// flagd sends its static context (none unless configured) as sync_context and as GetMetadata's answer.
const SYNC_CONTEXT = {};

/** Some source changed: a flag set's stream selects again (its flags may have moved to another source). */
const RESELECT = 'reselect';

/**
 * How long a SyncFlags stream opened before its source's first load waits for it (a provider started with the
 * replica): then it ends UNAVAILABLE, as it did at once before, and the provider retries.
 */
const FIRST_LOAD_WAIT_MS = 30_000;

/**
 * The unary methods of `flagd.sync.v1.FlagSyncService` as plain functions (request and `flagd-selector` in,
 * answer out): the gRPC fast path and connect-node serve the same ones, as for evaluation.
 */
export function syncUnary(
  deps: Pick<FlagSyncDeps, 'port' | 'maxMessageBytes'>,
): UnaryEvaluations<typeof FlagSyncService> {
  return {
    // Built in slices like a stream's (one document per snapshot, shared): the first call after a deploy of
    // thousands of flags must not hold the event loop while it is written.
    fetchAllFlags: async (request, selector) => ({
      flagConfiguration: await syncDocumentSliced(
        selectedFlags(deps.port, parseSelector(selector, request.selector)).flags,
        deps.maxMessageBytes,
      ),
    }),
    getMetadata: () => ({ metadata: SYNC_CONTEXT }),
  };
}

/** `flagd.sync.v1.FlagSyncService` for connect-node: whole documents for in-process providers and flagd sidecars. */
export function flagSyncService(
  unary: UnaryEvaluations<typeof FlagSyncService>,
  deps: FlagSyncDeps,
): ServiceImpl<typeof FlagSyncService> {
  return {
    ...connectHandlers(unary),
    async *syncFlags(request, context) {
      const selection = parseSelector(context.requestHeader.get(SELECTOR_HEADER), request.selector);
      // No await between this read and the subscription below: no revision can fall between the two.
      let sent = selectedFlags(deps.port, selection, 'wait')?.flags ?? null;
      const source =
        selection.by === 'source'
          ? selection.source
          : selection.by === 'default'
            ? deps.port.defaultSource
            : null;
      const slot = admitStream(deps.admission);
      // Latest wins: a slow reader is sent the newest document, never a backlog.
      const documents = deps.feed.subscribe<CompiledFlags | typeof RESELECT>({
        source,
        signal: context.signal,
        // A revision that is not a flag document never reaches sync clients: they keep the last good one. A
        // removed source has no flags, as flagd answers a selector that matches nothing.
        pick: (change) => {
          if (change.kind !== 'removed' && change.flags === null) return undefined;
          if (selection.by === 'flagSet') return RESELECT;
          return change.flags ?? NO_FLAGS;
        },
        merge: latest,
      });
      const flagsOf = (next: CompiledFlags | typeof RESELECT): CompiledFlags =>
        next === RESELECT ? selectedFlags(deps.port, selection).flags : next;
      deps.metrics?.streamsChanged('sync', 1);
      const release = releaseOnAbort(context.signal, () => {
        documents.release();
        slot();
        deps.metrics?.streamsChanged('sync', -1);
      });
      try {
        const deadline = Date.now() + FIRST_LOAD_WAIT_MS;
        while (sent === null) {
          const remaining = deadline - Date.now();
          if (remaining <= 0)
            throw new ConnectError(
              `flags of ${source} did not load within ${FIRST_LOAD_WAIT_MS} ms: retry`,
              Code.Unavailable,
            );
          const next = await documents.next(Math.min(remaining, deps.keepAliveMs));
          sent = next === undefined ? null : flagsOf(next);
        }
        // Built in slices: a deploy of thousands of flags must not hold the event loop while it is written.
        yield {
          flagConfiguration: await syncDocumentSliced(sent, deps.maxMessageBytes),
          syncContext: SYNC_CONTEXT,
        };
        for (;;) {
          const next = await documents.next(deps.keepAliveMs);
          if (next === undefined) continue;
          const flags = flagsOf(next);
          if (flags === sent) continue;
          sent = flags;
          yield {
            flagConfiguration: await syncDocumentSliced(sent, deps.maxMessageBytes),
            syncContext: SYNC_CONTEXT,
          };
        }
      } finally {
        release();
      }
    },
  };
}
