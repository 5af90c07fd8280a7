import { waitFor } from '../../../../test/support/wait-for';
import type { DeliveryJob, DeliveryVerdict, QueuedDelivery } from '../queue/delivery-job';
import type { DeliveryQueue } from '../queue/delivery-queue';
import { type ContractBackend, contractReplicas } from './contract-backend';

const job = (subscriptionId: string, revision: number, source = 'app/env/flags'): DeliveryJob => ({
  id: `msg_${subscriptionId}_${revision}`,
  subscriptionId,
  type: 'flags.changed',
  source,
  revision,
  body: `{"revision":${revision}}`,
  dedupeKey: `${subscriptionId}:${source}:${revision}`,
  createdAt: 1_700_000_000_000 + revision,
});

/** The behaviour every DeliveryQueue must show (real time, short delays), run against each backend. */
export function describeDeliveryQueueContract(
  name: string,
  factory: () => Promise<ContractBackend<DeliveryQueue>>,
): void {
  describe(`DeliveryQueue contract: ${name}`, () => {
    const replicas = contractReplicas(factory);
    let opened: DeliveryQueue[];
    const replica = async () => {
      const queue = await replicas.replica();
      opened.push(queue);
      return queue;
    };
    /** Starts `queue` with a handler that records each call and answers as `verdict` says. */
    const work = (
      queue: DeliveryQueue,
      verdict: (job: QueuedDelivery) => DeliveryVerdict = () => ({ kind: 'final' }),
    ) => {
      const calls: QueuedDelivery[] = [];
      queue.start(async (queued) => {
        calls.push(queued);
        return verdict(queued);
      });
      return calls;
    };

    beforeEach(() => {
      opened = [];
    });
    afterEach(() => Promise.all(opened.map((queue) => queue.stop())));

    it('enqueues a dedupe key once, whichever replica asks again', async () => {
      const [a, b] = [await replica(), await replica()];
      expect(await a.enqueue(job('sub_1', 1))).toBe(true);
      expect(await b.enqueue(job('sub_1', 1))).toBe(false);
      expect(await a.enqueue(job('sub_1', 2))).toBe(true);
    });

    it('records the queued revision per source and queues a revision only once, never an older one', async () => {
      const [a, b] = [await replica(), await replica()];
      expect(await a.queuedRevision('app/env/flags')).toBe(0);
      expect(await a.enqueueRevision('app/env/flags', 3, [job('sub_1', 3)])).toBe(true);
      expect(await b.queuedRevision('app/env/flags')).toBe(3);
      expect(await b.queuedRevision('app/env/other')).toBe(0);
      expect(await b.enqueueRevision('app/env/flags', 3, [job('sub_2', 3)])).toBe(false);
      expect(await b.enqueueRevision('app/env/flags', 2, [job('sub_2', 2)])).toBe(false);
      expect(await b.enqueueRevision('app/env/flags', 4, [])).toBe(true);
      expect(await a.queuedRevision('app/env/flags')).toBe(4);
    });

    it('hands every job to the worker once, in enqueue order per subscription, with attempts 0', async () => {
      const [a, b] = [await replica(), await replica()];
      const calls = work(a);
      await b.enqueueRevision('app/env/flags', 1, [job('sub_1', 1), job('sub_2', 1)]);
      for (const revision of [2, 3]) await b.enqueue(job('sub_1', revision));
      await waitFor(() => calls.length >= 4, { timeoutMs: 5000, message: 'four jobs handled' });
      expect(calls.filter((c) => c.subscriptionId === 'sub_1').map((c) => c.revision)).toEqual([1, 2, 3]);
      expect(calls.map((c) => c.attempts)).toEqual([0, 0, 0, 0]);
      expect(calls.find((c) => c.subscriptionId === 'sub_1')).toMatchObject(job('sub_1', 1));
    });

    it('hands a retried job again after its delay, counting attempts, and holds later jobs of its subscription', async () => {
      const a = await replica();
      const retried = new Set<string>();
      const calls = work(a, (queued) => {
        if (queued.revision !== 1 || retried.has(queued.id)) return { kind: 'final' };
        retried.add(queued.id);
        return { kind: 'retry', delayMs: 100 };
      });
      await a.enqueue(job('sub_1', 1));
      await a.enqueue(job('sub_1', 2));
      await a.enqueue(job('sub_2', 1));
      await waitFor(() => calls.length >= 5, { timeoutMs: 5000, message: 'retry and the jobs behind it' });
      const sub1 = calls.filter((c) => c.subscriptionId === 'sub_1').map((c) => [c.revision, c.attempts]);
      expect(sub1).toEqual([
        [1, 0],
        [1, 1],
        [2, 0],
      ]);
      // The retry holds only its own subscription.
      const sub2 = calls.filter((c) => c.subscriptionId === 'sub_2').map((c) => [c.revision, c.attempts]);
      expect(sub2).toEqual([
        [1, 0],
        [1, 1],
      ]);
    });

    it('tries a job again, without counting an attempt, when the worker throws', async () => {
      const a = await replica();
      let thrown = false;
      const calls: QueuedDelivery[] = [];
      a.start(async (queued) => {
        calls.push(queued);
        if (!thrown) {
          thrown = true;
          throw new Error('worker failed');
        }
        return { kind: 'final' };
      });
      await a.enqueue(job('sub_1', 1));
      await waitFor(() => calls.length >= 2, { timeoutMs: 5000, message: 'the job handed again' });
      expect(calls.map((c) => [c.id, c.attempts])).toEqual([
        ['msg_sub_1_1', 0],
        ['msg_sub_1_1', 0],
      ]);
    });
  });
}
