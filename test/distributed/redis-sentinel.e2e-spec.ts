import { startRedisSentinel } from '../support/redis-sentinel';
import { describeDistributedFleet } from './describe-distributed-fleet';

describeDistributedFleet(
  'three replicas on a real Sentinel set (master, replica, three sentinels)',
  async () => {
    const sentinel = await startRedisSentinel();
    return {
      url: sentinel.url,
      application: 'sentinel-app',
      failovers: {
        // One master holds the source's keys and the delivery queue's.
        'SIGKILL of the master': async () => {
          const master = await sentinel.killMaster();
          return { failedOver: sentinel.waitForFailover(master, 30_000) };
        },
      },
      stop: () => sentinel.stop(),
    };
  },
);
