import { startRedisCluster } from '../support/redis-cluster';
import { describeDistributedFleet, QUEUE_KEY, sourceDocumentKey } from './describe-distributed-fleet';

const FAILOVER_TIMEOUT_MS = 30_000;

describeDistributedFleet('three replicas on a real Redis Cluster (3 masters, 3 replicas)', async () => {
  const cluster = await startRedisCluster();
  try {
    // The source's keys on another shard than the delivery queue's, so each failover hits one of them.
    const queueMaster = await cluster.masterOf(QUEUE_KEY);
    let application = '';
    for (let i = 0; !application; i += 1) {
      const candidate = `cluster-app-${i}`;
      if ((await cluster.masterOf(sourceDocumentKey(`${candidate}/prod/flags`))) !== queueMaster)
        application = candidate;
    }
    const killMasterOf = async (key: string) => {
      const master = await cluster.masterOf(key);
      await cluster.killNode(master);
      return { failedOver: cluster.waitForFailover(key, master, FAILOVER_TIMEOUT_MS) };
    };
    return {
      url: cluster.url,
      application,
      failovers: {
        "SIGKILL of the master owning the source's keys": (drill) =>
          killMasterOf(sourceDocumentKey(drill.fleet.sourceKey)),
        "SIGKILL of the master owning the delivery queue's keys": async (drill) => {
          // Its replica takes over only after a revision was published and queueing its webhooks
          // failed: the shard's outage outlasts the command timeout, as in the defect report.
          const master = await cluster.masterOf(QUEUE_KEY);
          const replica = await cluster.replicaOf(master);
          cluster.pauseNode(replica);
          await cluster.killNode(master);
          const failedOver = (async () => {
            try {
              await drill.waitForDeferredQueueing(FAILOVER_TIMEOUT_MS);
            } finally {
              cluster.resumeNode(replica);
            }
            await cluster.waitForFailover(QUEUE_KEY, master, FAILOVER_TIMEOUT_MS);
          })();
          return { failedOver };
        },
      },
      stop: () => cluster.stop(),
    };
  } catch (error) {
    await cluster.stop();
    throw error;
  }
});
