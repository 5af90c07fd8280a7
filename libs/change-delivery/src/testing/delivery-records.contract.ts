import type { DeadLetter, DeliveryAttempt, DeliveryRecords } from '../records/delivery-records';
import { MAX_DEAD_LETTERS } from '../records/delivery-records';
import { type ContractBackend, contractReplicas } from './contract-backend';

/** Records opened by the contract keep this many attempts per subscription. */
export const CONTRACT_LOG_LENGTH = 3;

const attempt = (subscriptionId: string, n: number): DeliveryAttempt => ({
  deliveryId: `msg_${n}`,
  subscriptionId,
  type: 'flags.changed',
  source: 'app/env/flags',
  revision: n,
  attempt: 1,
  at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
  status: n % 2 ? 500 : null,
  latencyMs: n,
  outcome: 'retrying',
  error: n % 2 ? 'HTTP 500' : 'connection refused: connect ECONNREFUSED 127.0.0.1:9',
  nextAttemptAt: null,
});

const letter = (n: number): DeadLetter => ({
  job: {
    id: `msg_${n}`,
    subscriptionId: 'sub_1',
    type: 'flags.changed',
    source: 'app/env/flags',
    revision: n,
    body: `{"revision":${n}}`,
    dedupeKey: `sub_1:app/env/flags:${n}`,
    createdAt: 1_700_000_000_000 + n,
  },
  attempts: 8,
  deadAt: new Date(1_700_000_000_000 + n * 1000).toISOString(),
  reason: 'gave up after 8 attempts: HTTP 500',
});

/** The behaviour every DeliveryRecords must show (opened with CONTRACT_LOG_LENGTH), run against each backend. */
export function describeDeliveryRecordsContract(
  name: string,
  factory: () => Promise<ContractBackend<DeliveryRecords>>,
): void {
  describe(`DeliveryRecords contract: ${name}`, () => {
    const { replica, elsewhere } = contractReplicas(factory);

    it('keeps the last attempts per subscription, newest first, as written', async () => {
      const [a, b] = [await replica(), await replica()];
      for (const n of [1, 2, 3, 4]) await a.recordAttempt(attempt('sub_1', n));
      await a.recordAttempt(attempt('sub_2', 9));
      expect(await b.recentAttempts('sub_1')).toEqual([4, 3, 2].map((n) => attempt('sub_1', n)));
      expect(await b.recentAttempts('sub_1', 1)).toEqual([attempt('sub_1', 4)]);
      expect(await b.recentAttempts('sub_2')).toEqual([attempt('sub_2', 9)]);
      expect(await b.recentAttempts('sub_unknown')).toEqual([]);
    });

    it('lists dead letters newest first; taking one removes it, a second take answers null', async () => {
      const [a, b] = [await replica(), await replica()];
      for (const n of [1, 2, 3]) await a.addDeadLetter(letter(n));
      expect(await b.listDeadLetters()).toEqual([letter(3), letter(2), letter(1)]);
      expect(await b.takeDeadLetter('msg_2')).toEqual(letter(2));
      expect(await a.takeDeadLetter('msg_2')).toBeNull();
      expect(await a.takeDeadLetter('msg_unknown')).toBeNull();
      expect(await a.listDeadLetters()).toEqual([letter(3), letter(1)]);
    });

    it('keeps namespaces apart', async () => {
      await (await replica()).recordAttempt(attempt('sub_1', 1));
      await (await replica()).addDeadLetter(letter(1));
      const other = await elsewhere();
      expect(await other.recentAttempts('sub_1')).toEqual([]);
      expect(await other.listDeadLetters()).toEqual([]);
    });

    it('keeps one letter per delivery (a re-added one replaces it)', async () => {
      const a = await replica();
      await a.addDeadLetter(letter(1));
      await a.addDeadLetter({ ...letter(1), reason: 'subscription disabled' });
      expect(await a.listDeadLetters()).toEqual([{ ...letter(1), reason: 'subscription disabled' }]);
    });

    it(`keeps the newest ${MAX_DEAD_LETTERS} dead letters, evicting the oldest`, async () => {
      const a = await replica();
      for (let n = 1; n <= MAX_DEAD_LETTERS + 2; n += 1) await a.addDeadLetter(letter(n));
      const kept = await a.listDeadLetters();
      expect(kept).toHaveLength(MAX_DEAD_LETTERS);
      expect(kept[0]).toEqual(letter(MAX_DEAD_LETTERS + 2));
      expect(kept.at(-1)).toEqual(letter(3));
    });
  });
}
