import type { CompiledFlags } from '@flagfleet/flag-engine';
import { ChangeFeed, latest } from './change-feed';
import { type SourceChange, sourceRemoved } from './source-change';

function revision(source: string, n: number): SourceChange {
  return {
    kind: 'revision',
    source,
    revision: n,
    previousRevision: n - 1 || null,
    versionLabel: null,
    added: [`f${n}`],
    removed: [],
    changed: [],
    previous: null,
    flags: null,
    contentHash: `h${n}`,
    fetchedAt: 0,
    publishedHere: true,
  };
}

describe('ChangeFeed', () => {
  it('gives a subscriber to one source only its changes, a subscriber to all every change', async () => {
    const feed = new ChangeFeed();
    const signal = new AbortController().signal;
    const one = feed.subscribe({ source: 'a/b/c', signal, pick: (c) => c.revision, merge: latest });
    const all = feed.subscribe({
      source: null,
      signal,
      pick: (c) => [c.source],
      merge: (p, n) => [...p, ...n],
    });
    feed.publish(revision('x/y/z', 1));
    feed.publish(revision('a/b/c', 2));
    expect(await one.next(1_000)).toBe(2);
    expect(await all.next(1_000)).toEqual(['x/y/z', 'a/b/c']);
    expect(await one.next(5)).toBeUndefined();
  });

  it('merges what a slow reader has not read into one value (10,000 revisions cost one slot)', async () => {
    const feed = new ChangeFeed();
    const signal = new AbortController().signal;
    const sub = feed.subscribe({
      source: null,
      signal,
      pick: (c) => new Set(c.added),
      merge: (pending, next) => {
        for (const key of next) pending.add(key);
        return pending;
      },
    });
    for (let i = 1; i <= 10_000; i++) feed.publish(revision('a/b/c', i));
    const merged = await sub.next(1_000);
    expect(merged?.size).toBe(10_000);
    expect(await sub.next(5)).toBeUndefined();
  });

  it('releases a subscription when its signal aborts, and a waiting read rejects with the reason', async () => {
    const feed = new ChangeFeed();
    const controller = new AbortController();
    const sub = feed.subscribe({ source: null, signal: controller.signal, pick: (c) => c, merge: latest });
    expect(feed.size).toBe(1);
    const waiting = sub.next(10_000);
    controller.abort(new Error('client gone'));
    await expect(waiting).rejects.toThrow('client gone');
    expect(feed.size).toBe(0);
    sub.release();
    expect(feed.size).toBe(0);
  });

  it('announces a removed source with every flag it served removed', () => {
    const flags = {
      definitions: new Map([
        ['a', {}],
        ['b', {}],
      ]),
    } as unknown as CompiledFlags;
    const change = sourceRemoved('a/b/c', { revision: 4, versionLabel: 'v4', flags, fetchedAt: 1 });
    expect(change).toMatchObject({
      kind: 'removed',
      revision: 4,
      removed: ['a', 'b'],
      flags: null,
      contentHash: null,
    });
    expect(sourceRemoved('a/b/c', null)).toMatchObject({ kind: 'removed', removed: [] });
  });
});
