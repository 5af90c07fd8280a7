import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { type ChangeFeed, latest } from '@flagfleet/serving';
import {
  type ChangeEvent,
  changeEvent,
  eventId,
  type ServedState,
  SSE_KEEPALIVE,
  sseFrame,
  sseRetry,
} from './sse-frame';

export interface SseStreamOptions {
  readonly feed: ChangeFeed;
  readonly source: string;
  /** The source's served state when the client connects; undefined before its first load. */
  readonly current: ServedState | undefined;
  /** `Last-Event-ID` of a reconnecting client. */
  readonly lastEventId: string | undefined;
  readonly out: Writable;
  readonly keepAliveMs: number;
  readonly retryMs: number;
  /** Ends the stream: the client went away, the server shuts down. */
  readonly signal: AbortSignal;
}

/**
 * One SSE client: a resume whose id is not what is served now gets one event at once (whatever it missed,
 * a restart, another replica: one refetch covers it); then one event per change. A client that reads
 * slowly is waited for (`drain`) and meanwhile its unread changes merge into the newest one. Resolves
 * when the stream is over: aborted, or its source removed (told, then ended: a reconnect gets 404).
 */
export async function streamChanges(options: SseStreamOptions): Promise<void> {
  const { out, signal, current } = options;
  // Subscribed before anything is written, with no await since `current` was read: no change falls between.
  const changes = options.feed.subscribe<ChangeEvent>({
    source: options.source,
    signal,
    pick: (change) => changeEvent(change),
    merge: latest,
  });
  try {
    await write(out, sseRetry(options.retryMs), signal);
    if (
      options.lastEventId !== undefined &&
      current !== undefined &&
      options.lastEventId !== eventId(current)
    )
      await write(out, sseFrame(changeEvent(current)), signal);
    for (;;) {
      const event = await changes.next(options.keepAliveMs);
      await write(out, event === undefined ? SSE_KEEPALIVE : sseFrame(event), signal);
      if (event?.data.removed) return;
    }
  } catch (error) {
    if (!signal.aborted) throw error;
  } finally {
    changes.release();
  }
}

/** Backpressure: a full socket is waited for before anything more is taken from the feed. */
async function write(out: Writable, chunk: string, signal: AbortSignal): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain', { signal });
}
