import type { Provider } from '@nestjs/common';
import { Clock, type Logger } from '@flagfleet/core';
import { type ChangeDeliveryOptions, workerTickMs } from '../delivery-options';
import { MemoryDeliveryQueue } from '../queue/memory-delivery-queue';
import { MemoryDeliveryRecords } from '../records/memory-delivery-records';
import { MemorySubscriptionRepository } from '../subscriptions/memory-subscription-repository';
import { DeliveryBackend, type DeliveryStorage } from './delivery-backend';
import { storageProviders } from './storage-providers';
import { DELIVERY_LOGGER, DELIVERY_OPTIONS } from './tokens';

/** One replica: everything in process memory, lost on restart (like the memory config store). */
class MemoryBackend extends DeliveryBackend {
  readonly shared = false;
  async close(): Promise<void> {}
}

export function memoryDeliveryStorage(
  options: ChangeDeliveryOptions,
  logger: Logger,
  clock: Clock,
): DeliveryStorage {
  return {
    backend: new MemoryBackend(),
    queue: new MemoryDeliveryQueue(logger, clock, workerTickMs(options.claimIdleMs)),
    records: new MemoryDeliveryRecords(options.logLength),
    subscriptions: new MemorySubscriptionRepository(),
  };
}

export function memoryDeliveryProviders(): Provider[] {
  return storageProviders({
    inject: [DELIVERY_OPTIONS, DELIVERY_LOGGER, Clock],
    useFactory: memoryDeliveryStorage,
  });
}
