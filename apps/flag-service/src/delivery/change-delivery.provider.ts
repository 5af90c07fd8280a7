import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import {
  type ChangeDelivery,
  type ChangeDeliveryRedis,
  createChangeDelivery,
  type DeliveryConfig,
  parseDeliveryConfig,
  type RedisConnection,
} from '@flagfleet/change-delivery';
import { createRedisClient, DEFAULT_KEY_PREFIX } from '@flagfleet/config-store';
import { ServiceConfig } from '../config';
import { ServiceLogger } from '../observability/service-logger';
import { ServiceMetrics } from '../observability/service-metrics';

export const CHANGE_DELIVERY = Symbol('CHANGE_DELIVERY');

/** Settings read once from the environment (WEBHOOK_*, SSE_KEEPALIVE_MS). */
export const DELIVERY_CONFIG = Symbol('DELIVERY_CONFIG');

function connect(config: ServiceConfig): ChangeDeliveryRedis | null {
  const url = config.redisUrl;
  if (!url) return null;
  const client = (role: string) =>
    createRedisClient(url, {
      connectionName: `flagfleet-webhooks-${role}-${config.replicaId}`,
    });
  return {
    commands: client('commands'),
    blocking: client('blocking'),
    keyPrefix: config.redisKeyPrefix ?? DEFAULT_KEY_PREFIX,
  };
}

export const changeDeliveryProvider = {
  provide: CHANGE_DELIVERY,
  inject: [DELIVERY_CONFIG, ServiceConfig, ServiceLogger, ServiceMetrics],
  useFactory: (
    deliveryConfig: DeliveryConfig,
    config: ServiceConfig,
    logger: ServiceLogger,
    metrics: ServiceMetrics,
  ): ChangeDelivery => {
    const log = logger.pino.child({ component: 'webhooks' });
    return createChangeDelivery(
      deliveryConfig,
      connect(config),
      { warn: (m) => log.warn(m), error: (m) => log.error(m) },
      (attempt) => metrics.countDelivery(attempt.outcome),
    );
  },
};

export const deliveryConfigProvider = {
  provide: DELIVERY_CONFIG,
  useFactory: () => parseDeliveryConfig(process.env),
};

/** Workers start once the app is up and stop (pending deliveries stay in Redis) on shutdown. */
@Injectable()
export class ChangeDeliveryLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(CHANGE_DELIVERY) private readonly delivery: ChangeDelivery) {}

  onApplicationBootstrap(): void {
    this.delivery.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.delivery.stop();
    const connections: (RedisConnection | undefined)[] = [
      this.delivery.redis?.commands,
      this.delivery.redis?.blocking,
    ];
    await Promise.allSettled(connections.map((c) => c?.quit()));
  }
}
