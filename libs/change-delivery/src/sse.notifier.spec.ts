import type { FlagChange } from './change-notifier';
import { type ChangeEvent, changeEvent, sseFrame } from './sse-frame';
import { SseNotifier } from './sse.notifier';

const change = (source: string, revision: number): FlagChange => ({
  source,
  revision,
  previousRevision: revision - 1,
  versionLabel: null,
  added: [],
  removed: [],
  changed: ['a'],
  definitions: {},
  publishedHere: false,
  fetchedAt: 1_700_000_000_000,
});

describe('SseNotifier', () => {
  it('streams live events of the subscribed source only, on every replica (publishedHere or not)', async () => {
    const sse = new SseNotifier();
    const seen: ChangeEvent[] = [];
    const stop = sse.subscribe('a/b/c', null, (e) => seen.push(e));
    await sse.notify(change('a/b/c', 1));
    await sse.notify(change('x/y/z', 1));
    stop();
    await sse.notify(change('a/b/c', 2));
    expect(seen.map((e) => [e.source, e.revision])).toEqual([['a/b/c', 1]]);
    expect(seen[0].data).toEqual({
      type: 'refetchEvaluation',
      lastModified: 1_700_000_000,
      source: 'a/b/c',
      revision: 1,
    });
    expect(sse.connectedClients()).toBe(0);
  });

  it('keeps a newer client subscribed when an older one unsubscribes twice (request and response close)', async () => {
    const sse = new SseNotifier();
    const stopOld = sse.subscribe('a/b/c', null, () => undefined);
    stopOld();
    const seen: number[] = [];
    sse.subscribe('a/b/c', null, (e) => seen.push(e.revision));
    stopOld();
    await sse.notify(change('a/b/c', 1));
    expect(seen).toEqual([1]);
    expect(sse.connectedClients()).toBe(1);
  });

  it('replays events after Last-Event-ID on resume', async () => {
    const sse = new SseNotifier();
    for (const revision of [1, 2, 3]) await sse.notify(change('a/b/c', revision));
    const seen: number[] = [];
    sse.subscribe('a/b/c', 1, (e) => seen.push(e.revision));
    await sse.notify(change('a/b/c', 4));
    expect(seen).toEqual([2, 3, 4]);
  });

  it('sends the current revision on resume when the missed events are not kept here', () => {
    const sse = new SseNotifier();
    const seen: number[] = [];
    sse.subscribe('a/b/c', 3, (e) => seen.push(e.revision), changeEvent('a/b/c', 5, 0));
    sse.subscribe('a/b/c', 5, (e) => seen.push(e.revision), changeEvent('a/b/c', 5, 0));
    expect(seen).toEqual([5]);
  });

  it('frames an event with the revision as id and OFREP JSON data', () => {
    const frame = sseFrame({
      source: 's',
      revision: 7,
      data: { type: 'refetchEvaluation', lastModified: 1, source: 's', revision: 7 },
    });
    expect(frame).toBe(
      'id: 7\nevent: message\ndata: {"type":"refetchEvaluation","lastModified":1,"source":"s","revision":7}\n\n',
    );
  });
});
