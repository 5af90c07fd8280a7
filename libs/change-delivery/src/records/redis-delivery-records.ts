import { type RedisConnection, storeCall } from '../redis-connection';
import type { DeliveryRedisKeys } from '../redis-keys';
import {
  type DeadLetter,
  type DeliveryAttempt,
  type DeliveryRecords,
  DEFAULT_LOG_LENGTH,
  MAX_DEAD_LETTERS,
} from './delivery-records';

/** Lists capped with LTRIM; dead letters in a hash with a sorted index (oldest evicted past the cap). */
export class RedisDeliveryRecords implements DeliveryRecords {
  private readonly dead: string; // hash id → letter
  private readonly deadOrder: string; // sorted set id → deadAt ms

  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: DeliveryRedisKeys,
    private readonly logLength = DEFAULT_LOG_LENGTH,
  ) {
    this.dead = keys.deadLetters;
    this.deadOrder = keys.deadLetterOrder;
  }

  async recordAttempt(attempt: DeliveryAttempt): Promise<void> {
    return storeCall(async () => {
      const key = this.keys.attemptLog(attempt.subscriptionId);
      await this.redis
        .multi()
        .lpush(key, JSON.stringify(attempt))
        .ltrim(key, 0, this.logLength - 1)
        .exec();
    });
  }

  async recentAttempts(subscriptionId: string, limit = this.logLength): Promise<DeliveryAttempt[]> {
    return storeCall(async () => {
      const items = await this.redis.lrange(this.keys.attemptLog(subscriptionId), 0, limit - 1);
      return items.map((json) => JSON.parse(json) as DeliveryAttempt);
    });
  }

  async addDeadLetter(letter: DeadLetter): Promise<void> {
    return storeCall(async () => {
      await this.redis
        .multi()
        .hset(this.dead, letter.job.id, JSON.stringify(letter))
        .zadd(this.deadOrder, Date.parse(letter.deadAt), letter.job.id)
        .exec();
      const excess = (await this.redis.zcard(this.deadOrder)) - MAX_DEAD_LETTERS;
      if (excess > 0) {
        const oldest = await this.redis.zrange(this.deadOrder, 0, excess - 1);
        await this.redis
          .multi()
          .hdel(this.dead, ...oldest)
          .zrem(this.deadOrder, ...oldest)
          .exec();
      }
    });
  }

  async listDeadLetters(): Promise<DeadLetter[]> {
    return storeCall(async () => {
      const ids = await this.redis.zrevrange(this.deadOrder, 0, -1);
      if (ids.length === 0) return [];
      const letters = await this.redis.hmget(this.dead, ...ids);
      return letters
        .filter((json): json is string => json !== null)
        .map((json) => JSON.parse(json) as DeadLetter);
    });
  }

  async takeDeadLetter(deliveryId: string): Promise<DeadLetter | null> {
    return storeCall(async () => {
      const [[, json]] = ((await this.redis
        .multi()
        .hget(this.dead, deliveryId)
        .hdel(this.dead, deliveryId)
        .zrem(this.deadOrder, deliveryId)
        .exec()) ?? [[null, null]]) as [unknown, string | null][];
      return json ? (JSON.parse(json) as DeadLetter) : null;
    });
  }
}
