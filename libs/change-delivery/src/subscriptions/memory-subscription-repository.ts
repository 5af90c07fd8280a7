import type { StoredSubscription } from './subscription';
import type { SubscriptionRepository } from './subscription-repository';

export class MemorySubscriptionRepository implements SubscriptionRepository {
  private readonly byId = new Map<string, StoredSubscription>();

  async list(): Promise<StoredSubscription[]> {
    return [...this.byId.values()];
  }
  async get(id: string): Promise<StoredSubscription | null> {
    return this.byId.get(id) ?? null;
  }
  async insert(subscription: StoredSubscription, limit: number): Promise<boolean> {
    if (this.byId.size >= limit) return false;
    this.byId.set(subscription.id, subscription);
    return true;
  }
  async save(subscription: StoredSubscription): Promise<void> {
    this.byId.set(subscription.id, subscription);
  }
  async delete(id: string): Promise<boolean> {
    return this.byId.delete(id);
  }
}
