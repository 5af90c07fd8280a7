import type { Provider } from '@nestjs/common';
import { Clock, type Logger } from '@flagfleet/core';
import { createRedisClient } from '@flagfleet/config-store';
import { type ChangeDeliveryOptions, type DeliveryRedisOptions, workerTickMs } from '../delivery-options';
import type { RedisConnection } from '../redis-connection';
import { deliveryRedisKeys } from '../redis-keys';
import { RedisDeliveryQueue } from '../queue/redis-delivery-queue';
import { RedisDeliveryRecords } from '../records/redis-delivery-records';
import { RedisSubscriptionRepository } from '../subscriptions/redis-subscription-repository';
import { DeliveryBackend, type DeliveryStorage } from './delivery-backend';
import { storageProviders } from './storage-providers';
import { DELIVERY_LOGGER, DELIVERY_OPTIONS } from './tokens';

/** A fleet's connections: one for commands, one for the blocking stream read; closed after delivery stops. */
class RedisBackend extends DeliveryBackend {
  readonly shared = true;

  constructor(private readonly connections: readonly RedisConnection[]) {
    super();
    // Failures reach callers through the commands; without a listener ioredis prints every failed reconnect.
    for (const connection of connections) connection.on('error', () => undefined);
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.connections.map((connection) => connection.quit()));
  }
}

/** Redis connections of one replica; the keys are `keyPrefix` + the `{webhooks}` hash tag (redis-keys.ts). */
export interface DeliveryRedisConnections {
  readonly commands: RedisConnection;
  /** A separate connection for the blocking XREADGROUP. */
  readonly blocking: RedisConnection;
  readonly keyPrefix: string;
}

export function redisDeliveryStorage(
  options: ChangeDeliveryOptions,
  { commands, blocking, keyPrefix }: DeliveryRedisConnections,
  logger: Logger,
  clock: Clock,
): DeliveryStorage {
  const keys = deliveryRedisKeys(keyPrefix);
  const queueOptions = {
    keys,
    consumer: options.replicaId,
    claimIdleMs: options.claimIdleMs,
    tickMs: workerTickMs(options.claimIdleMs),
  };
  return {
    backend: new RedisBackend([commands, blocking]),
    queue: new RedisDeliveryQueue(commands, blocking, queueOptions, logger, clock),
    records: new RedisDeliveryRecords(commands, keys, options.logLength),
    subscriptions: new RedisSubscriptionRepository(commands, keys),
  };
}

export function redisDeliveryProviders(redis: DeliveryRedisOptions): Provider[] {
  return storageProviders({
    inject: [DELIVERY_OPTIONS, DELIVERY_LOGGER, Clock],
    useFactory: (options: ChangeDeliveryOptions, logger: Logger, clock: Clock) => {
      const client = (role: string) =>
        createRedisClient(redis.url, { connectionName: `flagfleet-webhooks-${role}-${options.replicaId}` });
      const connections = {
        commands: client('commands'),
        blocking: client('blocking'),
        keyPrefix: redis.keyPrefix,
      };
      return redisDeliveryStorage(options, connections, logger, clock);
    },
  });
}
