import { Writable } from 'node:stream';
import { ChangeFeed, type SourceChange } from '@flagfleet/serving';
import { waitFor } from '../../../test/support/wait-for';
import { eventId } from './sse-frame';
import { streamChanges } from './sse-stream';

const change = (revision: number, kind: SourceChange['kind'] = 'revision'): SourceChange => ({
  kind,
  source: 'a/b/c',
  revision,
  previousRevision: revision - 1,
  versionLabel: null,
  added: [],
  removed: [],
  changed: ['f'],
  previous: null,
  flags: null,
  contentHash: kind === 'removed' ? null : `${revision}`.padStart(64, '0'),
  fetchedAt: 1_700_000_000_000,
  publishedHere: false,
});

/** A socket whose reader is stalled until `release()`: every write after the first reports a full buffer. */
function stalledSocket() {
  const chunks: string[] = [];
  let pending: (() => void)[] = [];
  let stalled = true;
  const out = new Writable({
    highWaterMark: 1,
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      if (stalled) pending.push(done);
      else done();
    },
  });
  return {
    out,
    chunks,
    release() {
      stalled = false;
      const waiting = pending;
      pending = [];
      for (const done of waiting) done();
    },
  };
}

describe('streamChanges (SSE)', () => {
  it('waits for a full socket to drain, and merges what arrived meanwhile into the newest event', async () => {
    const feed = new ChangeFeed();
    const socket = stalledSocket();
    const ended = new AbortController();
    const done = streamChanges({
      feed,
      source: 'a/b/c',
      current: undefined,
      lastEventId: undefined,
      out: socket.out,
      keepAliveMs: 60_000,
      retryMs: 2_000,
      signal: ended.signal,
    });
    await waitFor(() => socket.chunks.length === 1, { timeoutMs: 1_000, message: 'the retry line' });
    for (let revision = 1; revision <= 1_000; revision++) feed.publish(change(revision));
    // The retry line is still unread: nothing more was written, whatever was published.
    expect(socket.chunks).toEqual(['retry: 2000\n\n']);
    socket.release();
    await waitFor(() => socket.chunks.length === 2, { timeoutMs: 1_000, message: 'the merged event' });
    expect(socket.chunks[1]).toContain(`id: ${eventId(change(1_000))}\n`);
    expect(socket.chunks[1]).toContain('"revision":1000');
    ended.abort();
    await done;
    expect(feed.size).toBe(0);
  });

  it('tells of a removed source and ends, releasing its subscription', async () => {
    const feed = new ChangeFeed();
    const socket = stalledSocket();
    socket.release();
    const done = streamChanges({
      feed,
      source: 'a/b/c',
      current: change(3),
      lastEventId: eventId(change(3)),
      out: socket.out,
      keepAliveMs: 60_000,
      retryMs: 2_000,
      signal: new AbortController().signal,
    });
    feed.publish(change(3, 'removed'));
    await done;
    expect(socket.chunks.slice(1)).toEqual([
      'id: 3-removed\nevent: message\ndata: {"type":"refetchEvaluation","lastModified":1700000000,"source":"a/b/c","revision":3,"removed":true}\n\n',
    ]);
    expect(feed.size).toBe(0);
  });
});
