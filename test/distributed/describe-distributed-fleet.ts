import { existsSync } from 'node:fs';
import { FailoverDrill } from '../support/failover-drill';
import { SERVICE_MAIN } from '../support/service-process';

export const QUEUE_KEY = 'flagfleet:{webhooks}:queue';
export const sourceDocumentKey = (source: string) => `flagfleet:{${source}}:document`;
const TIMEOUT_MS = 30_000;

/** A distributed Redis the suite started, and the failovers to run on it. */
export interface DistributedRedis {
  readonly url: string;
  /** The source's application name (on Cluster: one whose slot is on another shard than the queue's). */
  readonly application: string;
  /** Each SIGKILLs one master and resolves once it is killed; `failedOver` once Redis has a new one. */
  readonly failovers: Record<string, (drill: FailoverDrill) => Promise<{ failedOver: Promise<void> }>>;
  stop(): Promise<void>;
}

/**
 * Three replicas of the built service on `start()`'s Redis: the fleet's promises in steady state, then
 * each failover under evaluation load, counted (failed evaluations, lost and duplicate webhooks, time
 * to resume polling, token errors).
 */
export function describeDistributedFleet(title: string, start: () => Promise<DistributedRedis>): void {
  const built = existsSync(SERVICE_MAIN);
  if (!built) console.log(`dist/ missing (run \`npm run build\`): ${title} skipped`);
  (built ? describe : describe.skip)(title, () => {
    jest.setTimeout(120_000);
    let redis: DistributedRedis | undefined;
    let drill: FailoverDrill | undefined;
    let failovers: [string, DistributedRedis['failovers'][string]][] = [];

    beforeAll(async () => {
      redis = await start();
      failovers = Object.entries(redis.failovers);
      drill = await FailoverDrill.start(redis.url, redis.application);
    });
    afterAll(async () => {
      await drill?.stop();
      await redis?.stop();
    });
    afterEach(() => {
      const state = expect.getState();
      if (state.assertionCalls !== state.numPassingAsserts && drill) console.log(drill.logs());
    });

    it('polls once per interval for the fleet, propagates to all, one webhook per change, SSE on each', async () => {
      const fleet = drill!.fleet;
      expect(await drill!.pollsPerSecond(3_000)).toBeLessThanOrEqual(1.5);
      const after = await drill!.currentRevision();
      await fleet.deployNext(TIMEOUT_MS);
      await fleet.deployNext(TIMEOUT_MS);
      await drill!.settle(after, TIMEOUT_MS);
      const revisions = [after + 1, after + 2];
      expect(drill!.sseRevisions(after)).toEqual([revisions, revisions, revisions]);
      for (const { revisions: delivered, deliveries } of drill!.webhooks(after)) {
        expect([...delivered.keys()].sort()).toEqual(revisions);
        expect(deliveries).toBe(2);
      }
    });

    it('survives each failover under evaluation load: no failed evaluation, no lost webhook, one webhook-id per change, no token error', async () => {
      for (const [name, kill] of failovers) {
        const report = await drill!.failover(() => kill(drill!), TIMEOUT_MS);
        console.log(`${title}, ${name}: ${JSON.stringify(report)}`);
        expect({ name, ...report }).toMatchObject({
          name,
          failedEvaluations: 0,
          lostWebhooks: 0,
          duplicateWebhookIds: 0,
          tokenErrors: 0,
        });
        expect(report.evaluations).toBeGreaterThan(0);
      }
    });
  });
}
