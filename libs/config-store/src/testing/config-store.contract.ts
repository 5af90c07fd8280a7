import { waitFor } from '../../../../test/support/wait-for';
import { ConfigStore, NewDocument, PollLease, SourceKey } from '../config-store';
import { contentHash } from '../content-hash';
import { LeaseLostError } from '../errors';

/** What a store implementation supplies to run the shared contract. */
export interface ContractBackend {
  /** A new store (a replica) on the same backing state as every other one from this backend. */
  replica(): Promise<ConfigStore>;
  /** Lease TTL used by the expiry tests: short for Redis (real time), anything for a fake clock. */
  readonly leaseTtlMs: number;
  /** Lets `ms` of lease time pass (advances a fake clock; no-op where expiry is real-time). */
  elapse(ms: number): Promise<void>;
  teardown(): Promise<void>;
}

export function newDocument(text: string | Buffer, overrides: Partial<NewDocument> = {}): NewDocument {
  const content = Buffer.isBuffer(text) ? text : Buffer.from(text);
  return {
    content,
    contentType: 'application/json',
    versionLabel: 'v1',
    contentHash: contentHash(content),
    fetchedAt: 1_700_000_000_000,
    ...overrides,
  };
}

/**
 * The behaviour every ConfigStore must show, written once and run against each implementation.
 * Sources are unique per test so a shared backend needs no flushing.
 */
export function describeConfigStoreContract(name: string, factory: () => Promise<ContractBackend>): void {
  describe(`ConfigStore contract: ${name}`, () => {
    let backend: ContractBackend;
    let stores: ConfigStore[];
    let counter = 0;
    let source: SourceKey;

    const replica = async () => {
      const store = await backend.replica();
      stores.push(store);
      return store;
    };
    const expire = async (store: ConfigStore, lease: PollLease) => {
      await backend.elapse(backend.leaseTtlMs + 1);
      await waitFor(async () => (await store.leaseHolder(lease.source)) === null, {
        timeoutMs: backend.leaseTtlMs + 2000,
        message: `lease of ${lease.source} to expire`,
      });
    };

    beforeAll(async () => {
      backend = await factory();
    });
    afterAll(async () => {
      await backend.teardown();
    });
    beforeEach(() => {
      stores = [];
      counter += 1;
      source = `contract-app-${process.pid}-${Date.now()}-${counter}/env/profile`;
    });
    afterEach(async () => {
      await Promise.all(stores.map((store) => store.close()));
    });

    describe('lease', () => {
      it('is exclusive: a second owner gets null while the first holds it', async () => {
        const [a, b] = [await replica(), await replica()];
        const lease = await a.acquireLease(source, 'owner-a', 10_000);
        expect(lease).toMatchObject({ source, owner: 'owner-a' });
        expect(lease!.fence).toBeGreaterThan(0);
        expect(await b.acquireLease(source, 'owner-b', 10_000)).toBeNull();
        expect(await b.leaseHolder(source)).toMatchObject({ owner: 'owner-a', fence: lease!.fence });
      });

      it('is independent per source', async () => {
        const a = await replica();
        expect(await a.acquireLease(source, 'owner-a', 10_000)).not.toBeNull();
        expect(await a.acquireLease(`${source}-other`, 'owner-b', 10_000)).not.toBeNull();
      });

      it('expires after its TTL and is taken over with a higher fence', async () => {
        const [a, b] = [await replica(), await replica()];
        const first = (await a.acquireLease(source, 'owner-a', backend.leaseTtlMs))!;
        await expire(b, first);
        const second = await b.acquireLease(source, 'owner-b', 10_000);
        expect(second).toMatchObject({ owner: 'owner-b' });
        expect(second!.fence).toBeGreaterThan(first.fence);
      });

      it('re-acquired by its holder gets a new fence, making the older lease stale', async () => {
        const a = await replica();
        const first = (await a.acquireLease(source, 'owner-a', 10_000))!;
        const second = (await a.acquireLease(source, 'owner-a', 10_000))!;
        expect(second.fence).toBeGreaterThan(first.fence);
        await expect(a.writeToken(first, null)).rejects.toBeInstanceOf(LeaseLostError);
        expect(await a.renewLease(first, 10_000)).toBeNull();
      });

      it('is renewed only by its holder with the current fence', async () => {
        const [a, b] = [await replica(), await replica()];
        const lease = (await a.acquireLease(source, 'owner-a', 5_000))!;
        const renewed = await a.renewLease(lease, 60_000);
        expect(renewed).toMatchObject({ owner: 'owner-a', fence: lease.fence });
        expect(renewed!.expiresAt).toBeGreaterThan(lease.expiresAt);
        expect(await b.renewLease({ ...lease, owner: 'owner-b' }, 60_000)).toBeNull();
        expect(await b.renewLease({ ...lease, fence: lease.fence + 1 }, 60_000)).toBeNull();
        expect(await b.leaseHolder(source)).toMatchObject({ owner: 'owner-a', fence: lease.fence });
      });

      it('cannot be renewed once expired and taken over', async () => {
        const [a, b] = [await replica(), await replica()];
        const lease = (await a.acquireLease(source, 'owner-a', backend.leaseTtlMs))!;
        await expire(b, lease);
        await b.acquireLease(source, 'owner-b', 10_000);
        expect(await a.renewLease(lease, 10_000)).toBeNull();
      });

      it('is released only by its holder, then free for anyone', async () => {
        const [a, b] = [await replica(), await replica()];
        const lease = (await a.acquireLease(source, 'owner-a', 10_000))!;
        expect(await b.releaseLease({ ...lease, owner: 'owner-b' })).toBe(false);
        expect(await b.releaseLease({ ...lease, fence: lease.fence - 1 })).toBe(false);
        expect(await a.releaseLease(lease)).toBe(true);
        expect(await a.releaseLease(lease)).toBe(false);
        expect(await b.leaseHolder(source)).toBeNull();
        const next = await b.acquireLease(source, 'owner-b', 10_000);
        expect(next!.fence).toBeGreaterThan(lease.fence);
      });
    });

    describe('token', () => {
      it('round-trips and clears with null', async () => {
        const [a, b] = [await replica(), await replica()];
        expect(await b.readToken(source)).toBeNull();
        const lease = (await a.acquireLease(source, 'owner-a', 10_000))!;
        const state = {
          token: 'tok/+=é',
          sessionStartedAt: 1_700_000_000_123,
          nextPollAt: 1_700_000_015_456,
        };
        await a.writeToken(lease, state);
        expect(await b.readToken(source)).toEqual(state);
        const rejected = {
          ...state,
          rejected: {
            at: 1_700_000_000_200,
            versionLabel: null,
            contentHash: 'ab12',
            problemCodes: ['FLAGFLEET_A', 'FLAGFLEET_B'],
            problemCount: 3,
          },
        };
        await a.writeToken(lease, { ...rejected, stray: 'dropped' } as typeof rejected);
        expect(await b.readToken(source)).toEqual(rejected);
        await a.writeToken(lease, null);
        expect(await b.readToken(source)).toBeNull();
      });
    });

    describe('document', () => {
      it('round-trips binary content, content type, label, hash and fetch time', async () => {
        const [a, b] = [await replica(), await replica()];
        expect(await b.readDocument(source)).toBeNull();
        const lease = (await a.acquireLease(source, 'owner-a', 10_000))!;
        const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
        const document = newDocument(bytes, { contentType: 'application/octet-stream', versionLabel: null });
        const outcome = await a.publishDocument(lease, document);
        expect(outcome.published).toBe(true);
        const read = await b.readDocument(source);
        expect(read).toEqual({ ...document, source, revision: 1 });
        expect(read!.content.equals(bytes)).toBe(true);
        expect(outcome.document).toEqual(read);
      });

      it('dedupes by hash and numbers new content current+1', async () => {
        const a = await replica();
        const lease = (await a.acquireLease(source, 'owner-a', 10_000))!;
        const first = await a.publishDocument(lease, newDocument('{"flags":{}}'));
        const again = await a.publishDocument(
          lease,
          newDocument('{"flags":{}}', { versionLabel: 'v2', fetchedAt: 1 }),
        );
        const second = await a.publishDocument(
          lease,
          newDocument('{"flags":{"a":{}}}', { versionLabel: 'v3' }),
        );
        expect(first).toMatchObject({ published: true, document: { revision: 1, versionLabel: 'v1' } });
        expect(again).toMatchObject({ published: false, document: { revision: 1, versionLabel: 'v1' } });
        expect(second).toMatchObject({ published: true, document: { revision: 2, versionLabel: 'v3' } });
        expect(await a.readDocument(source)).toMatchObject({ revision: 2, versionLabel: 'v3' });
      });

      it('keeps revisions increasing across lease holders and per source', async () => {
        const [a, b] = [await replica(), await replica()];
        const leaseA = (await a.acquireLease(source, 'owner-a', 10_000))!;
        await a.publishDocument(leaseA, newDocument('1'));
        await a.releaseLease(leaseA);
        const leaseB = (await b.acquireLease(source, 'owner-b', 10_000))!;
        expect((await b.publishDocument(leaseB, newDocument('2'))).document.revision).toBe(2);
        const other = (await b.acquireLease(`${source}-other`, 'owner-b', 10_000))!;
        expect((await b.publishDocument(other, newDocument('2'))).document.revision).toBe(1);
      });

      it('never numbers a revision below the publisher’s floor (a store that lost its data)', async () => {
        const [a, b] = [await replica(), await replica()];
        const lease = (await a.acquireLease(source, 'owner-a', 10_000))!;
        const refilled = await a.publishDocument(lease, { ...newDocument('same'), minRevision: 16 });
        expect(refilled.document).toMatchObject({ revision: 16 });
        expect(refilled.document).not.toHaveProperty('minRevision');
        expect(
          (await a.publishDocument(lease, { ...newDocument('next'), minRevision: 3 })).document.revision,
        ).toBe(17);
        expect(await b.readDocument(source)).toMatchObject({ revision: 17, content: Buffer.from('next') });
      });

      it('hands out copies: mutating a returned buffer changes nothing stored', async () => {
        const a = await replica();
        const lease = (await a.acquireLease(source, 'owner-a', 10_000))!;
        const { document } = await a.publishDocument(lease, newDocument('abc'));
        document.content.fill(0);
        expect((await a.readDocument(source))!.content.toString()).toBe('abc');
      });
    });

    describe('fencing', () => {
      it('rejects token and document writes with a stale fence; the new holder’s state stands', async () => {
        const [a, b] = [await replica(), await replica()];
        const old = (await a.acquireLease(source, 'owner-a', backend.leaseTtlMs))!;
        await expire(b, old);
        const current = (await b.acquireLease(source, 'owner-b', 10_000))!;
        await b.writeToken(current, { token: 'new', sessionStartedAt: 2, nextPollAt: 3 });
        await b.publishDocument(current, newDocument('new'));

        const tokenWrite = a.writeToken(old, { token: 'old', sessionStartedAt: 1, nextPollAt: 1 });
        await expect(tokenWrite).rejects.toBeInstanceOf(LeaseLostError);
        await expect(tokenWrite).rejects.toMatchObject({ code: 'FLAGFLEET_LEASE_LOST' });
        await expect(a.publishDocument(old, newDocument('old'))).rejects.toBeInstanceOf(LeaseLostError);
        await expect(a.writeToken(old, null)).rejects.toBeInstanceOf(LeaseLostError);

        expect(await a.readToken(source)).toMatchObject({ token: 'new' });
        expect(await a.readDocument(source)).toMatchObject({ revision: 1, content: Buffer.from('new') });
      });

      it('rejects writes with a fence never issued', async () => {
        const a = await replica();
        const forged: PollLease = { source, owner: 'x', fence: 42, expiresAt: Date.now() + 10_000 };
        await expect(a.writeToken(forged, null)).rejects.toBeInstanceOf(LeaseLostError);
        await expect(a.publishDocument(forged, newDocument('x'))).rejects.toBeInstanceOf(LeaseLostError);
      });
    });

    describe('onRevision', () => {
      it('notifies every replica, the publisher included, once per published revision', async () => {
        const [a, b] = [await replica(), await replica()];
        const seenA: Array<[string, number]> = [];
        const seenB: Array<[string, number]> = [];
        a.onRevision((s, r) => s === source && seenA.push([s, r]));
        b.onRevision((s, r) => s === source && seenB.push([s, r]));
        const lease = (await a.acquireLease(source, 'owner-a', 10_000))!;
        await a.publishDocument(lease, newDocument('one'));
        await a.publishDocument(lease, newDocument('one'));
        await a.publishDocument(lease, newDocument('two'));
        await waitFor(() => seenA.length >= 2 && seenB.length >= 2, {
          message: 'revisions 1 and 2 on both replicas',
        });
        expect(seenA).toEqual([
          [source, 1],
          [source, 2],
        ]);
        expect(seenB).toEqual([
          [source, 1],
          [source, 2],
        ]);
      });

      it('delivers asynchronously, never inside publishDocument', async () => {
        const a = await replica();
        let seen = 0;
        a.onRevision((s) => s === source && (seen += 1));
        const lease = (await a.acquireLease(source, 'owner-a', 10_000))!;
        const pending = a.publishDocument(lease, newDocument('one'));
        expect(seen).toBe(0);
        await pending;
        await waitFor(() => seen === 1, { message: 'revision 1' });
      });

      it('stops after unsubscribe and survives a throwing listener', async () => {
        const [a, b] = [await replica(), await replica()];
        const removed: number[] = [];
        const kept: number[] = [];
        const unsubscribe = b.onRevision((s, r) => s === source && removed.push(r));
        b.onRevision(() => {
          throw new Error('listener failure');
        });
        b.onRevision((s, r) => s === source && kept.push(r));
        const lease = (await a.acquireLease(source, 'owner-a', 10_000))!;
        await a.publishDocument(lease, newDocument('one'));
        await waitFor(() => kept.length === 1 && removed.length === 1, { message: 'revision 1' });
        unsubscribe();
        await a.publishDocument(lease, newDocument('two'));
        await waitFor(() => kept.length === 2, { message: 'revision 2' });
        expect(removed).toEqual([1]);
      });
    });

    it('reports health of its kind', async () => {
      const a = await replica();
      await waitFor(() => a.health().connected, { timeoutMs: 3000, message: 'connected health' });
      expect(a.health()).toMatchObject({ kind: a.kind, connected: true });
    });
  });
}
