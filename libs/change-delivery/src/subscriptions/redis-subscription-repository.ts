import { type RedisConnection, storeCall } from '../redis-connection';
import type { DeliveryRedisKeys } from '../redis-keys';
import type { StoredSubscription } from './subscription';
import type { SubscriptionRepository } from './subscription-repository';

const INSERT_UNDER_LIMIT = `
if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1`;

/** One hash, id → JSON (secrets inside are sealed): every replica reads the same subscriptions. */
export class RedisSubscriptionRepository implements SubscriptionRepository {
  private readonly key: string;

  constructor(
    private readonly redis: RedisConnection,
    keys: DeliveryRedisKeys,
  ) {
    this.key = keys.subscriptions;
  }

  async list(): Promise<StoredSubscription[]> {
    return storeCall(async () => {
      const all = await this.redis.hvals(this.key);
      return all.map((json) => JSON.parse(json) as StoredSubscription);
    });
  }
  async get(id: string): Promise<StoredSubscription | null> {
    return storeCall(async () => {
      const json = await this.redis.hget(this.key, id);
      return json === null ? null : (JSON.parse(json) as StoredSubscription);
    });
  }
  async insert(subscription: StoredSubscription, limit: number): Promise<boolean> {
    return storeCall(async () => {
      // One script: replicas creating at once cannot both pass the count and exceed the limit.
      const added = await this.redis.eval(
        INSERT_UNDER_LIMIT,
        1,
        this.key,
        subscription.id,
        JSON.stringify(subscription),
        limit,
      );
      return added === 1;
    });
  }
  async save(subscription: StoredSubscription): Promise<void> {
    return storeCall(async () => {
      await this.redis.hset(this.key, subscription.id, JSON.stringify(subscription));
    });
  }
  async delete(id: string): Promise<boolean> {
    return storeCall(async () => {
      return (await this.redis.hdel(this.key, id)) > 0;
    });
  }
}
