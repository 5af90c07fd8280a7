import type { Redis } from 'ioredis';
import { type DeadLetter, type DeliveryAttempt, type DeliveryRecords, DEFAULT_LOG_LENGTH, MAX_DEAD_LETTERS } from './delivery-records';

const PREFIX = 'flagfleet:webhooks:';
const DEAD = `${PREFIX}dead`; // hash id → letter
const DEAD_ORDER = `${PREFIX}dead:order`; // sorted set id → deadAt ms

/** Lists capped with LTRIM; dead letters in a hash with a sorted index (oldest evicted past the cap). */
export class RedisDeliveryRecords implements DeliveryRecords {
  constructor(
    private readonly redis: Redis,
    private readonly logLength = DEFAULT_LOG_LENGTH,
  ) {}

  async recordAttempt(attempt: DeliveryAttempt): Promise<void> {
    const key = `${PREFIX}log:${attempt.subscriptionId}`;
    await this.redis.multi().lpush(key, JSON.stringify(attempt)).ltrim(key, 0, this.logLength - 1).exec();
  }

  async recentAttempts(subscriptionId: string, limit = this.logLength): Promise<DeliveryAttempt[]> {
    const items = await this.redis.lrange(`${PREFIX}log:${subscriptionId}`, 0, limit - 1);
    return items.map((json) => JSON.parse(json) as DeliveryAttempt);
  }

  async addDeadLetter(letter: DeadLetter): Promise<void> {
    await this.redis
      .multi()
      .hset(DEAD, letter.job.id, JSON.stringify(letter))
      .zadd(DEAD_ORDER, Date.parse(letter.deadAt), letter.job.id)
      .exec();
    const excess = (await this.redis.zcard(DEAD_ORDER)) - MAX_DEAD_LETTERS;
    if (excess > 0) {
      const oldest = await this.redis.zrange(DEAD_ORDER, 0, excess - 1);
      await this.redis.multi().hdel(DEAD, ...oldest).zrem(DEAD_ORDER, ...oldest).exec();
    }
  }

  async listDeadLetters(): Promise<DeadLetter[]> {
    const ids = await this.redis.zrevrange(DEAD_ORDER, 0, -1);
    if (ids.length === 0) return [];
    const letters = await this.redis.hmget(DEAD, ...ids);
    return letters.filter((json): json is string => json !== null).map((json) => JSON.parse(json) as DeadLetter);
  }

  async takeDeadLetter(deliveryId: string): Promise<DeadLetter | null> {
    const [[, json]] = ((await this.redis.multi().hget(DEAD, deliveryId).hdel(DEAD, deliveryId).zrem(DEAD_ORDER, deliveryId).exec()) ??
      [[null, null]]) as [unknown, string | null][];
    return json ? (JSON.parse(json) as DeadLetter) : null;
  }
}
