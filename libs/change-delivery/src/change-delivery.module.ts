import {
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { Clock, Logger } from '@flagfleet/core';
import { createRedisClient } from '@flagfleet/config-store';
import { type ChangeDelivery, type ChangeDeliveryRedis, createChangeDelivery } from './change-delivery';
import type { ChangeDeliveryOptions } from './delivery-options';
import { DeliveryEvent } from './delivery-events';

/** Injection token of the process's ChangeDelivery. */
export const CHANGE_DELIVERY = Symbol('CHANGE_DELIVERY');
const OPTIONS = Symbol('CHANGE_DELIVERY_OPTIONS');

function connect(options: ChangeDeliveryOptions): ChangeDeliveryRedis | null {
  if (!options.redis) return null;
  const { url, keyPrefix } = options.redis;
  const client = (role: string) =>
    createRedisClient(url, { connectionName: `flagfleet-webhooks-${role}-${options.replicaId}` });
  return {
    commands: client('commands'),
    blocking: client('blocking'),
    // The lib adds its own Cluster hash tag (redis-keys.ts).
    keyPrefix,
  };
}

/** Workers start once the app is up and stop on shutdown (pending deliveries stay in Redis). */
@Injectable()
class ChangeDeliveryLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(CHANGE_DELIVERY) private readonly delivery: ChangeDelivery) {}

  onApplicationBootstrap(): void {
    this.delivery.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.delivery.stop();
    const { redis } = this.delivery;
    await Promise.allSettled([redis?.commands.quit(), redis?.blocking.quit()]);
  }
}

/**
 * Webhook subscriptions, signing, durable delivery and SSE fan-out, as one global module:
 * `ChangeDeliveryModule.forRoot(config.delivery)`. Needs `EventEmitterModule.forRoot()` (every attempt is
 * emitted as `DeliveryEvent.ATTEMPTED`) and the Clock and Logger of `CoreModule`.
 */
@Module({})
export class ChangeDeliveryModule {
  static forRoot(options: ChangeDeliveryOptions): DynamicModule {
    return {
      module: ChangeDeliveryModule,
      global: true,
      providers: [
        { provide: OPTIONS, useValue: options },
        {
          provide: CHANGE_DELIVERY,
          inject: [OPTIONS, Logger, Clock, EventEmitter2],
          useFactory: (config: ChangeDeliveryOptions, logger: Logger, clock: Clock, events: EventEmitter2) =>
            createChangeDelivery(
              config,
              connect(config),
              logger.child('webhooks'),
              (attempt) => events.emit(DeliveryEvent.ATTEMPTED, attempt),
              clock,
            ),
        },
        ChangeDeliveryLifecycle,
      ],
      exports: [CHANGE_DELIVERY],
    };
  }
}
