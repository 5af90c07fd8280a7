import Redis from 'ioredis';
import { SilentLogger, SystemClock } from '@flagfleet/core';
import { startRedisServer } from '../../../../test/support/redis-server';
import { RedisDeliveryQueue } from '../queue/redis-delivery-queue';
import { RedisDeliveryRecords } from '../records/redis-delivery-records';
import { type DeliveryRedisKeys, deliveryRedisKeys } from '../redis-keys';
import { RedisSubscriptionRepository } from '../subscriptions/redis-subscription-repository';
import type { ContractBackend } from '../testing/contract-backend';
import { describeDeliveryQueueContract } from '../testing/delivery-queue.contract';
import { CONTRACT_LOG_LENGTH, describeDeliveryRecordsContract } from '../testing/delivery-records.contract';
import { describeSubscriptionRepositoryContract } from '../testing/subscription-repository.contract';

/** A real redis-server per suite; a namespace is a key prefix, each replica its own connections. */
function redis<T>(
  create: (connect: () => Redis, keys: DeliveryRedisKeys, replica: number) => T,
): () => Promise<ContractBackend<T>> {
  return async () => {
    const server = await startRedisServer();
    const connections: Redis[] = [];
    let replicas = 0;
    const connect = () => {
      const connection = new Redis(server.url, { maxRetriesPerRequest: 1, disconnectTimeout: 50 });
      connections.push(connection);
      return connection;
    };
    return {
      open: async (namespace) => create(connect, deliveryRedisKeys(namespace), (replicas += 1)),
      teardown: async () => {
        await Promise.allSettled(connections.map((connection) => connection.quit()));
        await server.stop();
      },
    };
  };
}

describeSubscriptionRepositoryContract(
  'Redis',
  redis((connect, keys) => new RedisSubscriptionRepository(connect(), keys)),
);
describeDeliveryRecordsContract(
  'Redis',
  redis((connect, keys) => new RedisDeliveryRecords(connect(), keys, CONTRACT_LOG_LENGTH)),
);
describeDeliveryQueueContract(
  'Redis',
  redis(
    (connect, keys, replica) =>
      new RedisDeliveryQueue(
        connect(),
        connect(),
        { keys, consumer: `replica-${replica}`, claimIdleMs: 400, tickMs: 20 },
        new SilentLogger(),
        new SystemClock(),
      ),
  ),
);
