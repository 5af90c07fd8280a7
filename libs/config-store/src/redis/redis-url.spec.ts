import { Cluster } from 'ioredis';
import { RedisUrlInvalidError } from '../errors';
import { createRedisClient, parseRedisUrl, redactRedisUrl, redisOptionsFor } from './redis-url';

describe('parseRedisUrl', () => {
  it.each([
    ['redis://localhost', { mode: 'standalone', host: 'localhost', port: 6379, db: 0, auth: {}, tls: false }],
    [
      'redis://127.0.0.1:6380/2',
      { mode: 'standalone', host: '127.0.0.1', port: 6380, db: 2, auth: {}, tls: false },
    ],
    [
      'redis://:s3cr%40t@cache:6379',
      { mode: 'standalone', host: 'cache', port: 6379, db: 0, auth: { password: 's3cr@t' }, tls: false },
    ],
    [
      'redis://app:pw@cache?db=3',
      {
        mode: 'standalone',
        host: 'cache',
        port: 6379,
        db: 3,
        auth: { username: 'app', password: 'pw' },
        tls: false,
      },
    ],
    [
      'rediss://user@cache.example.com:6390',
      {
        mode: 'standalone',
        host: 'cache.example.com',
        port: 6390,
        db: 0,
        auth: { username: 'user' },
        tls: true,
      },
    ],
    ['redis://[::1]:7000', { mode: 'standalone', host: '::1', port: 7000, db: 0, auth: {}, tls: false }],
    [
      'redis-sentinel://:pw@s1:26379,s2,s3:26380/mymaster?db=1&sentinelPassword=sp',
      {
        mode: 'sentinel',
        sentinels: [
          { host: 's1', port: 26379 },
          { host: 's2', port: 26379 },
          { host: 's3', port: 26380 },
        ],
        name: 'mymaster',
        db: 1,
        auth: { password: 'pw' },
        sentinelPassword: 'sp',
        tls: false,
      },
    ],
    [
      'rediss-sentinel://s1/primary/4',
      {
        mode: 'sentinel',
        sentinels: [{ host: 's1', port: 26379 }],
        name: 'primary',
        db: 4,
        auth: {},
        tls: true,
      },
    ],
    [
      'redis-cluster://:pw@n1:7000,n2:7001',
      {
        mode: 'cluster',
        nodes: [
          { host: 'n1', port: 7000 },
          { host: 'n2', port: 7001 },
        ],
        auth: { password: 'pw' },
        tls: false,
      },
    ],
    ['rediss-cluster://n1', { mode: 'cluster', nodes: [{ host: 'n1', port: 6379 }], auth: {}, tls: true }],
  ])('%s', (url, expected) => {
    expect(parseRedisUrl(url)).toEqual(expected);
  });

  it.each([
    ['', 'expected scheme'],
    ['localhost:6379', 'expected scheme'],
    ['http://:pw@host', 'unknown scheme'],
    ['redis://a,b', 'exactly one host'],
    ['redis://host:99999', 'bad port'],
    ['redis://host:6379/x', 'database must be a number'],
    ['redis://host/1/2', 'path must be'],
    ['redis-sentinel://s1:26379', 'master name'],
    ['redis-cluster://n1/0', 'no path'],
    ['redis://:%E0%A4%A@host', 'percent-encoding'],
    ['redis://ho st', 'bad host'],
  ])('rejects %j with a coded error naming the problem', (url, reason) => {
    let error: unknown;
    try {
      parseRedisUrl(url);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RedisUrlInvalidError);
    expect(error).toMatchObject({
      code: 'FLAGFLEET_REDIS_URL_INVALID',
      message: expect.stringContaining(reason),
    });
  });

  it('never puts the password in an error message', () => {
    expect(() => parseRedisUrl('redis://user:hunter2@a,b')).toThrow(/user:\*\*\*@/);
    expect(() => parseRedisUrl('redis://user:hunter2@a,b')).not.toThrow(/hunter2/);
  });
});

describe('redactRedisUrl', () => {
  it.each([
    ['redis://user:hunter2@host:6379/0', 'redis://user:***@host:6379/0'],
    ['redis://:hunter2@host', 'redis://:***@host'],
    ['redis://host:6379', 'redis://host:6379'],
    // A lone userinfo may be the credential itself (a token as user name): hidden whole.
    ['redis://user@host', 'redis://***@host'],
    [
      'redis-sentinel://:pw@s1,s2/m?sentinelPassword=hunter2&db=1',
      'redis-sentinel://:***@s1,s2/m?sentinelPassword=***&db=1',
    ],
  ])('%s', (url, redacted) => {
    expect(redactRedisUrl(url)).toBe(redacted);
  });
});

describe('redisOptionsFor', () => {
  it('fails fast and reconnects with a capped backoff', () => {
    const options = redisOptionsFor(parseRedisUrl('rediss://:pw@h/2'), {
      commandTimeoutMs: 100,
      maxBackoffMs: 400,
    });
    expect(options).toMatchObject({
      password: 'pw',
      db: 2,
      tls: {},
      commandTimeout: 100,
      maxRetriesPerRequest: 1,
    });
    const delays = [1, 2, 3, 4, 5, 50].map((times) => options.retryStrategy!(times));
    expect(delays).toEqual([50, 100, 200, 400, 400, 400]);
  });
});

describe('createRedisClient', () => {
  it('builds a Cluster client for redis-cluster://, lazily when asked', () => {
    const client = createRedisClient('redis-cluster://127.0.0.1:1,127.0.0.1:2', {
      redisOptions: { lazyConnect: true },
    });
    expect(client).toBeInstanceOf(Cluster);
    client.disconnect();
  });
});
