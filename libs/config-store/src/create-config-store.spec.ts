import { createConfigStore } from './create-config-store';
import { RedisUrlInvalidError } from './errors';
import { MemoryConfigStore } from './memory/memory-config-store';
import { RedisConfigStore } from './redis/redis-config-store';

describe('createConfigStore', () => {
  it.each([undefined, '', '  '])('uses the memory store when REDIS_URL is %j', async (redisUrl) => {
    const store = createConfigStore({ redisUrl });
    expect(store).toBeInstanceOf(MemoryConfigStore);
    await store.close();
  });

  it('uses the Redis store when REDIS_URL is set', async () => {
    const store = createConfigStore({
      redisUrl: 'redis://127.0.0.1:1',
      commandTimeoutMs: 100,
      catchUpIntervalMs: 0,
    });
    expect(store).toBeInstanceOf(RedisConfigStore);
    expect(store.health()).toMatchObject({ kind: 'redis', connected: false });
    await store.close();
  });

  it('refuses a malformed REDIS_URL at once', () => {
    expect(() => createConfigStore({ redisUrl: 'redis//oops' })).toThrow(RedisUrlInvalidError);
  });
});
