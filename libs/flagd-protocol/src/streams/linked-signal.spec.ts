import { getEventListeners } from 'node:events';
import { linkSignals } from './linked-signal';

describe('linkSignals', () => {
  it('aborts with the reason of whichever source aborts first', () => {
    const call = new AbortController();
    const server = new AbortController();
    const { signal } = linkSignals(call.signal, server.signal);
    server.abort(new Error('shutting down'));
    expect(signal.aborted).toBe(true);
    expect((signal.reason as Error).message).toBe('shutting down');
    expect(getEventListeners(call.signal, 'abort')).toHaveLength(0);
  });

  it('leaves nothing on the long-lived server signal once a stream unlinks (10,000 streams, no listener)', () => {
    const server = new AbortController();
    for (let i = 0; i < 10_000; i++) {
      const call = new AbortController();
      const link = linkSignals(call.signal, server.signal);
      call.abort();
      link.unlink();
    }
    expect(getEventListeners(server.signal, 'abort')).toHaveLength(0);
  });

  it('is aborted at once when a source already is', () => {
    const { signal } = linkSignals(AbortSignal.abort('gone'), new AbortController().signal);
    expect(signal.reason).toBe('gone');
  });
});
