import type { Redis } from 'ioredis';
import type { StoredSubscription, SubscriptionRepository } from './subscription';

const KEY = 'flagfleet:webhooks:subscriptions';

/** One hash, id → JSON (secrets inside are sealed): every replica reads the same subscriptions. */
export class RedisSubscriptionRepository implements SubscriptionRepository {
  constructor(private readonly redis: Redis) {}

  async list(): Promise<StoredSubscription[]> {
    const all = await this.redis.hvals(KEY);
    return all.map((json) => JSON.parse(json) as StoredSubscription);
  }
  async get(id: string): Promise<StoredSubscription | null> {
    const json = await this.redis.hget(KEY, id);
    return json === null ? null : (JSON.parse(json) as StoredSubscription);
  }
  async save(subscription: StoredSubscription): Promise<void> {
    await this.redis.hset(KEY, subscription.id, JSON.stringify(subscription));
  }
  async delete(id: string): Promise<boolean> {
    return (await this.redis.hdel(KEY, id)) > 0;
  }
}
