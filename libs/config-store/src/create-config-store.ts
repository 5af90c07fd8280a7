import { ConfigStore } from './config-store';
import { MemoryConfigStore } from './memory/memory-config-store';
import { RedisConfigStore, RedisConfigStoreOptions } from './redis/redis-config-store';

export interface CreateConfigStoreOptions extends Omit<RedisConfigStoreOptions, 'url'> {
  /** REDIS_URL; unset means the memory store (one replica). */
  readonly redisUrl?: string;
}

/** The store the service runs on: Redis when a URL is given, memory otherwise. */
export function createConfigStore(options: CreateConfigStoreOptions = {}): ConfigStore {
  const { redisUrl, ...rest } = options;
  if (redisUrl === undefined || redisUrl.trim() === '') return new MemoryConfigStore({ clock: rest.clock });
  return new RedisConfigStore({ ...rest, url: redisUrl });
}
