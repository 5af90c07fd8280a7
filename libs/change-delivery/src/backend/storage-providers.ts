import type { FactoryProvider, Provider } from '@nestjs/common';
import { DeliveryQueue } from '../queue/delivery-queue';
import { DeliveryRecords } from '../records/delivery-records';
import { SubscriptionRepository } from '../subscriptions/subscription-repository';
import { DeliveryBackend, type DeliveryStorage } from './delivery-backend';
import { DELIVERY_STORAGE } from './tokens';

/**
 * A backend's parts as providers behind their abstract classes, from one factory of its storage
 * (built once: the queue and the records of Redis share its connections).
 */
export function storageProviders(storage: Omit<FactoryProvider<DeliveryStorage>, 'provide'>): Provider[] {
  const part = <K extends keyof DeliveryStorage>(provide: abstract new () => DeliveryStorage[K], key: K) => ({
    provide,
    inject: [DELIVERY_STORAGE],
    useFactory: (built: DeliveryStorage) => built[key],
  });
  return [
    { ...storage, provide: DELIVERY_STORAGE },
    part(DeliveryBackend, 'backend'),
    part(DeliveryQueue, 'queue'),
    part(DeliveryRecords, 'records'),
    part(SubscriptionRepository, 'subscriptions'),
  ];
}
