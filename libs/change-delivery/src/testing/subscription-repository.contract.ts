import type { StoredSubscription } from '../subscriptions/subscription';
import type { SubscriptionRepository } from '../subscriptions/subscription-repository';
import { type ContractBackend, contractReplicas } from './contract-backend';

export function storedSubscription(id: string, over: Partial<StoredSubscription> = {}): StoredSubscription {
  return {
    id,
    url: `https://hooks.example.com/${id}`,
    description: '',
    enabled: true,
    sources: [],
    flagKeys: [],
    disabledReason: null,
    secretHint: 'whsec_…Ab9=',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    secrets: [{ sealed: 'v1.sealed', expiresAt: null }],
    ...over,
  };
}

/** The behaviour every SubscriptionRepository must show, run against each backend. */
export function describeSubscriptionRepositoryContract(
  name: string,
  factory: () => Promise<ContractBackend<SubscriptionRepository>>,
): void {
  describe(`SubscriptionRepository contract: ${name}`, () => {
    const { replica, elsewhere } = contractReplicas(factory);

    it('stores, reads back, replaces and deletes; every replica sees the same subscriptions', async () => {
      const [a, b] = [await replica(), await replica()];
      expect(await a.insert(storedSubscription('sub_1'), 10)).toBe(true);
      expect(await b.get('sub_1')).toEqual(storedSubscription('sub_1'));
      await b.save(
        storedSubscription('sub_1', { enabled: false, disabledReason: 'receiver answered 410 Gone' }),
      );
      expect(await a.get('sub_1')).toMatchObject({
        enabled: false,
        disabledReason: 'receiver answered 410 Gone',
      });
      expect(await a.list()).toHaveLength(1);
      expect(await b.delete('sub_1')).toBe(true);
      expect(await a.get('sub_1')).toBeNull();
      expect(await a.list()).toEqual([]);
    });

    it('answers null and false for an unknown id', async () => {
      const a = await replica();
      expect(await a.get('sub_nope')).toBeNull();
      expect(await a.delete('sub_nope')).toBe(false);
    });

    it('refuses an insert at the limit, stores nothing then, and admits one after a delete', async () => {
      const a = await replica();
      for (const id of ['sub_1', 'sub_2']) expect(await a.insert(storedSubscription(id), 2)).toBe(true);
      expect(await a.insert(storedSubscription('sub_3'), 2)).toBe(false);
      expect(await a.get('sub_3')).toBeNull();
      // Replacing a stored one is not a new one: the limit does not apply.
      await a.save(storedSubscription('sub_2', { description: 'edited' }));
      expect((await a.list()).map((s) => s.id).sort()).toEqual(['sub_1', 'sub_2']);
      await a.delete('sub_1');
      expect(await a.insert(storedSubscription('sub_3'), 2)).toBe(true);
    });

    it('never passes the limit when replicas insert at once', async () => {
      const replicas = await Promise.all([replica(), replica(), replica()]);
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, i) => replicas[i % 3].insert(storedSubscription(`sub_${i}`), 5)),
      );
      expect(answers.filter(Boolean)).toHaveLength(5);
      expect(await replicas[0].list()).toHaveLength(5);
    });

    it('keeps namespaces apart', async () => {
      const a = await replica();
      await a.insert(storedSubscription('sub_1'), 1);
      const other = await elsewhere();
      expect(await other.list()).toEqual([]);
      expect(await other.insert(storedSubscription('sub_2'), 1)).toBe(true);
    });
  });
}
