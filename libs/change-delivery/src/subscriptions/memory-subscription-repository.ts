import type { StoredSubscription, SubscriptionRepository } from './subscription';

export class MemorySubscriptionRepository implements SubscriptionRepository {
  private readonly byId = new Map<string, StoredSubscription>();

  async list(): Promise<StoredSubscription[]> {
    return [...this.byId.values()];
  }
  async get(id: string): Promise<StoredSubscription | null> {
    return this.byId.get(id) ?? null;
  }
  async save(subscription: StoredSubscription): Promise<void> {
    this.byId.set(subscription.id, subscription);
  }
  async delete(id: string): Promise<boolean> {
    return this.byId.delete(id);
  }
}
