import {
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { Clock, Logger } from '@flagfleet/core';
import { DeliveryBackend } from './backend/delivery-backend';
import { memoryDeliveryProviders } from './backend/memory-backend';
import { redisDeliveryProviders } from './backend/redis-backend';
import { DELIVERY_LOGGER, DELIVERY_OPTIONS } from './backend/tokens';
import { type ChangeDelivery, createChangeDelivery } from './change-delivery';
import type { ChangeDeliveryOptions } from './delivery-options';
import { DeliveryEvent } from './delivery-events';
import { DeliveryQueue } from './queue/delivery-queue';
import { DeliveryRecords } from './records/delivery-records';
import { SubscriptionRepository } from './subscriptions/subscription-repository';

/** Injection token of the process's ChangeDelivery. */
export const CHANGE_DELIVERY = Symbol('CHANGE_DELIVERY');

/** Workers start once the app is up and stop on shutdown (pending deliveries stay in the backend). */
@Injectable()
class ChangeDeliveryLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(CHANGE_DELIVERY) private readonly delivery: ChangeDelivery) {}

  onApplicationBootstrap(): void {
    this.delivery.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.delivery.stop();
  }
}

/**
 * Webhook subscriptions, signing, durable delivery and SSE fan-out: `ChangeDeliveryModule.forRoot(config.delivery)`,
 * imported by the module whose routes use CHANGE_DELIVERY (not global: nothing else needs it). The backend is chosen here, once: Redis when
 * `options.redis` is set, memory otherwise; `backend` replaces both with another one's providers
 * (`storageProviders(factory of a DeliveryStorage)`; docs/architecture.md).
 * Needs `EventEmitterModule.forRoot()` (every attempt is emitted as `DeliveryEvent.ATTEMPTED`) and the
 * Clock and Logger of `CoreModule`.
 */
@Module({})
export class ChangeDeliveryModule {
  static forRoot(options: ChangeDeliveryOptions, backend?: Provider[]): DynamicModule {
    const storage =
      backend ?? (options.redis ? redisDeliveryProviders(options.redis) : memoryDeliveryProviders());
    return {
      module: ChangeDeliveryModule,
      providers: [
        { provide: DELIVERY_OPTIONS, useValue: options },
        {
          provide: DELIVERY_LOGGER,
          inject: [Logger],
          useFactory: (logger: Logger) => logger.child('webhooks'),
        },
        ...storage,
        {
          provide: CHANGE_DELIVERY,
          inject: [
            DELIVERY_OPTIONS,
            DELIVERY_LOGGER,
            Clock,
            EventEmitter2,
            DeliveryBackend,
            DeliveryQueue,
            DeliveryRecords,
            SubscriptionRepository,
          ],
          useFactory: (
            config: ChangeDeliveryOptions,
            logger: Logger,
            clock: Clock,
            events: EventEmitter2,
            deliveryBackend: DeliveryBackend,
            queue: DeliveryQueue,
            records: DeliveryRecords,
            subscriptions: SubscriptionRepository,
          ) =>
            createChangeDelivery(
              config,
              { backend: deliveryBackend, queue, records, subscriptions },
              logger,
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
