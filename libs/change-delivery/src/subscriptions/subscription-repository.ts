import type { StoredSubscription } from './subscription';

/**
 * The Nest token of subscription storage (ChangeDeliveryModule provides the backend's). Every replica
 * of a fleet sees the same subscriptions.
 */
export abstract class SubscriptionRepository {
  abstract list(): Promise<StoredSubscription[]>;
  abstract get(id: string): Promise<StoredSubscription | null>;
  /** Stores a new subscription unless `limit` are stored already (atomic across replicas): false then. */
  abstract insert(subscription: StoredSubscription, limit: number): Promise<boolean>;
  /** Replaces a stored subscription (update, rotation, disabling). */
  abstract save(subscription: StoredSubscription): Promise<void>;
  abstract delete(id: string): Promise<boolean>;
}
