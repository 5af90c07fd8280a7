import { ManualClock } from '@flagfleet/core';
import { describeConfigStoreContract } from '../testing/config-store.contract';
import { turnsDuring } from '../../../../test/support/event-loop-turns';
import { MemoryConfigStore } from './memory-config-store';

describeConfigStoreContract('MemoryConfigStore', async () => {
  const clock = new ManualClock(1_700_000_000_000);
  const root = new MemoryConfigStore({ clock });
  return {
    replica: async () => root.replica(),
    leaseTtlMs: 1000,
    elapse: async (ms) => clock.advance(ms),
    teardown: () => root.close(),
  };
});

describe('MemoryConfigStore', () => {
  it('expires a lease exactly at its TTL on the injected clock', async () => {
    const clock = new ManualClock(0);
    const store = new MemoryConfigStore({ clock });
    const lease = await store.acquireLease('a/e/p', 'owner', 100);
    expect(lease).toMatchObject({ fence: 1, expiresAt: 100 });
    clock.advance(99);
    expect(await store.acquireLease('a/e/p', 'other', 100)).toBeNull();
    clock.advance(1);
    expect(await store.acquireLease('a/e/p', 'other', 100)).toMatchObject({
      owner: 'other',
      fence: 2,
      expiresAt: 200,
    });
  });

  it('stops notifying a closed replica', async () => {
    const store = new MemoryConfigStore();
    const closed = store.replica();
    const seen: number[] = [];
    const seenClosed: number[] = [];
    store.onRevision((_, r) => seen.push(r));
    closed.onRevision((_, r) => seenClosed.push(r));
    await closed.close();
    const lease = (await store.acquireLease('a/e/p', 'owner', 1000))!;
    await store.publishDocument(lease, {
      content: Buffer.from('x'),
      contentType: 'text/plain',
      versionLabel: null,
      contentHash: 'h',
      fetchedAt: 0,
    });
    await Promise.resolve();
    expect(seen).toEqual([1]);
    expect(seenClosed).toEqual([]);
  });

  it('copies a large document a slice per turn, and no caller shares the bytes the store serves', async () => {
    const store = new MemoryConfigStore();
    const lease = (await store.acquireLease('a/e/p', 'owner', 60_000))!;
    const content = Buffer.alloc(8 * 1024 * 1024, 'a');
    const publish = await turnsDuring(() =>
      store.publishDocument(lease, {
        content,
        contentType: 'text/plain',
        versionLabel: null,
        contentHash: 'h8',
        fetchedAt: 0,
      }),
    );
    const read = await turnsDuring(() => store.readDocument('a/e/p'));
    // Copied in one call, each ran in a single turn of the event loop.
    expect(publish.turns).toBeGreaterThan(0);
    expect(read.turns).toBeGreaterThan(0);
    content.fill('b');
    publish.value.document.content.fill('c');
    read.value!.content.fill('d');
    expect((await store.readDocument('a/e/p'))!.content.equals(Buffer.alloc(8 * 1024 * 1024, 'a'))).toBe(
      true,
    );
  });
});
