import { EnvInvalidError } from '../errors';
import { parseEnv } from './env';
import { ServiceConfig } from './service-config';

describe('parseEnv', () => {
  it('gives the documented defaults for an empty environment', () => {
    const config = ServiceConfig.fromEnv({});
    expect(config).toMatchObject({
      port: 8080,
      sources: null,
      embedded: true,
      apiKeys: [],
      adminApiKeys: [],
      bodyLimitBytes: 65536,
      jsonMaxDepth: 32,
    });
    expect(config.flagsDir).toMatch(/\/flags$/);
  });

  it('parses sources, keys and numbers', () => {
    const config = ServiceConfig.fromEnv({
      APPCONFIG_SOURCES: ' shop/prod/flags , shop/prod/settings',
      AWS_REGION: 'eu-west-1',
      POLL_INTERVAL_SECONDS: '30',
      API_KEYS: 'a, b,,',
      PORT: '9000',
      REDIS_URL: 'redis://:secret@redis:6379/0',
    });
    expect(config.sources).toEqual([
      { application: 'shop', environment: 'prod', profile: 'flags' },
      { application: 'shop', environment: 'prod', profile: 'settings' },
    ]);
    expect(config).toMatchObject({
      embedded: false,
      awsRegion: 'eu-west-1',
      pollIntervalSeconds: 30,
      apiKeys: ['a', 'b'],
      port: 9000,
    });
  });

  it('treats empty strings as unset', () => {
    expect(parseEnv({ PORT: '', APPCONFIG_SOURCES: '  ' })).toMatchObject({ PORT: 8080 });
  });

  it('lists every problem at once, naming the variables', () => {
    try {
      parseEnv({
        PORT: 'eighty',
        POLL_INTERVAL_SECONDS: '5',
        LOG_LEVEL: 'loud',
        APPCONFIG_SOURCES: 'not-a-source',
        REDIS_URL: 'http://x',
      });
      throw new Error('expected EnvInvalidError');
    } catch (error) {
      expect(error).toBeInstanceOf(EnvInvalidError);
      const message = (error as EnvInvalidError).message;
      for (const name of ['PORT', 'POLL_INTERVAL_SECONDS', 'LOG_LEVEL', 'APPCONFIG_SOURCES', 'REDIS_URL'])
        expect(message).toContain(name);
      expect(message).toContain('application/environment/profile');
      expect((error as EnvInvalidError).code).toBe('FLAGFLEET_ENV_INVALID');
    }
  });

  it('requires AWS_REGION with APPCONFIG_SOURCES unless APPCONFIG_ENDPOINT is set', () => {
    expect(() => parseEnv({ APPCONFIG_SOURCES: 'a/b/c' })).toThrow(/AWS_REGION is required/);
    expect(() =>
      parseEnv({ APPCONFIG_SOURCES: 'a/b/c', APPCONFIG_ENDPOINT: 'http://emulator:2773' }),
    ).not.toThrow();
  });

  it.each([
    'redis://h:6379',
    'rediss://h:6380',
    'redis-sentinel://s1,s2/mymaster',
    'rediss-sentinel://s1/mymaster',
    'redis-cluster://n1,n2',
    'rediss-cluster://n1,n2',
  ])('accepts the documented REDIS_URL form %s', (url) => {
    expect(ServiceConfig.fromEnv({ REDIS_URL: url }).redisUrl).toBe(url);
  });

  it('never echoes a value it refuses (a malformed REDIS_URL may hold a password)', () => {
    expect(() => parseEnv({ REDIS_URL: 'http://user:hunter2@host' })).toThrow(EnvInvalidError);
    try {
      parseEnv({ REDIS_URL: 'http://user:hunter2@host' });
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2');
    }
  });
});
