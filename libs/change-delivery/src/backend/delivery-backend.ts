import type { DeliveryQueue } from '../queue/delivery-queue';
import type { DeliveryRecords } from '../records/delivery-records';
import type { SubscriptionRepository } from '../subscriptions/subscription-repository';

/**
 * The Nest token of what a backend holds beyond its three stores (DeliveryQueue, DeliveryRecords,
 * SubscriptionRepository): whether its state is shared by a fleet, and how to release it.
 */
export abstract class DeliveryBackend {
  /**
   * true when other replicas read the same state (Redis): secrets then need WEBHOOK_SECRET_KEY,
   * since a per-process key could not be read back by another replica.
   */
  abstract readonly shared: boolean;
  /** Called once after delivery stopped (connections closed; what is pending stays stored). */
  abstract close(): Promise<void>;
}

/** What one backend provides; ChangeDeliveryModule exposes each part under its abstract class. */
export interface DeliveryStorage {
  readonly backend: DeliveryBackend;
  readonly queue: DeliveryQueue;
  readonly records: DeliveryRecords;
  readonly subscriptions: SubscriptionRepository;
}
