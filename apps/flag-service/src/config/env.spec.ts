import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EnvInvalidError } from '../errors';
import { emulatorConfigFromEnv } from './emulator-config';
import { ENV_SCHEMA, parseEnv } from './env';
import { ServiceConfig } from './service-config';

/** The problems parseEnv lists for `env` (none: []). */
function problems(env: Record<string, string>): readonly string[] {
  try {
    parseEnv(env);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(EnvInvalidError);
    return (error as EnvInvalidError).problems;
  }
}

describe('the one environment schema', () => {
  it('gives the documented defaults for an empty environment, section by section', () => {
    const config = ServiceConfig.fromEnv({});
    expect(config.http).toEqual({
      port: 8080,
      host: '0.0.0.0',
      bodyLimitBytes: 65536,
      jsonMaxDepth: 32,
      shutdownTimeoutMs: 10000,
      docsEnabled: true,
      corsOrigins: [],
      tls: null,
      connections: {
        headersTimeoutMs: 10000,
        requestTimeoutMs: 30000,
        idleTimeoutMs: 60000,
        keepAliveTimeoutMs: 72000,
        maxRequestsPerSocket: 10000,
        maxConnections: 10000,
      },
    });
    expect(config.sources).toMatchObject({ mode: 'embedded', pollIntervalSeconds: 1 });
    expect(config.sources.mode === 'embedded' && config.sources.flagsDir).toMatch(/\/flags$/);
    expect(config.store).toEqual({ redisUrl: undefined, keyPrefix: undefined, maxDocumentBytes: 4194304 });
    expect(config.poller).toMatchObject({ leaseTtlMs: 30000, replicaId: config.replicaId });
    expect(config.delivery).toMatchObject({
      secretKey: null,
      targets: { allowHttp: false, allowedHosts: [] },
      retryScheduleMs: [5000, 300000, 1800000, 7200000, 18000000, 36000000, 36000000],
      timeoutMs: 10000,
      claimIdleMs: 60000,
      logLength: 50,
      maxSubscriptions: 1000,
      redis: null,
      replicaId: config.replicaId,
    });
    expect(config.sse).toEqual({ keepAliveMs: 15000, maxStreams: 2000 });
    expect(config.auth).toEqual({ apiKeys: [], adminApiKeys: [] });
    expect(config.observability).toEqual({ logLevel: 'info', metricsMaxFlagLabels: 200 });
    expect(config.flagd).toEqual({
      evaluationPort: 8013,
      syncPort: 8015,
      maxMessageBytes: 4194304,
      keepAliveMs: 20000,
      maxEventStreams: 5000,
      maxSyncStreams: 1000,
      idleTimeoutMs: 300000,
    });
  });

  it('generates one replica id and hands the same to every section that needs it', () => {
    const config = ServiceConfig.fromEnv({});
    expect(config.replicaId).toMatch(/-\d+-[0-9a-f]{6}$/);
    expect(config.poller.replicaId).toBe(config.replicaId);
    expect(config.delivery.replicaId).toBe(config.replicaId);
    expect(ServiceConfig.fromEnv({ REPLICA_ID: 'pod-7' }).delivery.replicaId).toBe('pod-7');
  });

  it('parses sources, keys, numbers, webhook and flagd settings', () => {
    const config = ServiceConfig.fromEnv({
      APPCONFIG_SOURCES: ' shop/prod/flags , shop/prod/settings',
      AWS_REGION: 'eu-west-1',
      POLL_INTERVAL_SECONDS: '30',
      API_KEYS: 'a, b,,',
      PORT: '9000',
      REDIS_URL: 'redis://:secret@redis:6379/0',
      WEBHOOK_ALLOW_HTTP: 'TRUE',
      WEBHOOK_ALLOWED_HOSTS: 'Hooks.Internal, [::1]',
      WEBHOOK_RETRY_SCHEDULE_MS: '100, 200,86400000',
      WEBHOOK_SECRET_KEY: 'sixteen-chars-ok',
      SSE_KEEPALIVE_MS: '500',
      FLAGD_EVALUATION_PORT: 'off',
      FLAGD_KEEPALIVE_MS: '1500',
      FLAGD_SYNC_PORT: '0',
      FLAGD_MAX_EVENT_STREAMS: '20000',
      FLAGD_MAX_SYNC_STREAMS: '50',
      SSE_MAX_STREAMS: '300',
    });
    expect(config.sources).toEqual({
      mode: 'appconfig',
      list: [
        { application: 'shop', environment: 'prod', profile: 'flags' },
        { application: 'shop', environment: 'prod', profile: 'settings' },
      ],
      endpoint: undefined,
      region: 'eu-west-1',
    });
    expect(config.poller.requiredMinimumPollIntervalSeconds).toBe(30);
    expect(config.auth.apiKeys).toEqual(['a', 'b']);
    expect(config.http.port).toBe(9000);
    expect(config.store.redisUrl).toBe('redis://:secret@redis:6379/0');
    expect(config.delivery).toMatchObject({
      secretKey: 'sixteen-chars-ok',
      targets: { allowHttp: true, allowedHosts: ['hooks.internal', '::1'] },
      retryScheduleMs: [100, 200, 86400000],
      redis: { url: 'redis://:secret@redis:6379/0', keyPrefix: 'flagfleet:' },
    });
    expect(config.sse).toEqual({ keepAliveMs: 500, maxStreams: 300 });
    expect(config.flagd).toEqual({
      evaluationPort: null,
      syncPort: 0,
      maxMessageBytes: 4194304,
      keepAliveMs: 1500,
      maxEventStreams: 20000,
      maxSyncStreams: 50,
      idleTimeoutMs: 300000,
    });
  });

  it('treats empty strings as unset and accepts 1/0 for booleans', () => {
    expect(parseEnv({ PORT: '', APPCONFIG_SOURCES: '  ' })).toMatchObject({ PORT: 8080 });
    expect(parseEnv({ WEBHOOK_ALLOW_HTTP: '1', DOCS_ENABLED: '0' })).toMatchObject({
      WEBHOOK_ALLOW_HTTP: true,
      DOCS_ENABLED: false,
    });
  });

  it('lists every problem at once, naming the variables, with the coded error', () => {
    const found = problems({
      PORT: 'eighty',
      POLL_INTERVAL_SECONDS: '5',
      LOG_LEVEL: 'loud',
      APPCONFIG_SOURCES: 'not-a-source',
      REDIS_URL: 'http://x',
      WEBHOOK_ALLOW_HTTP: 'yes',
      WEBHOOK_SECRET_KEY: 'short',
      WEBHOOK_RETRY_SCHEDULE_MS: '100,soon',
      WEBHOOK_TIMEOUT_MS: '5',
      SSE_KEEPALIVE_MS: 'often',
      FLAGD_SYNC_PORT: '70000',
      EMULATOR_PORT: '-1',
    });
    const named = found.map((problem) => problem.split(' ')[0]);
    expect(named.sort()).toEqual(
      [
        'PORT',
        'POLL_INTERVAL_SECONDS',
        'LOG_LEVEL',
        'APPCONFIG_SOURCES',
        'REDIS_URL',
        'WEBHOOK_ALLOW_HTTP',
        'WEBHOOK_SECRET_KEY',
        'WEBHOOK_RETRY_SCHEDULE_MS',
        'WEBHOOK_TIMEOUT_MS',
        'SSE_KEEPALIVE_MS',
        'FLAGD_SYNC_PORT',
        'EMULATOR_PORT',
      ].sort(),
    );
    expect(found).toContain('APPCONFIG_SOURCES must be comma-separated application/environment/profile');
    expect(found).toContain('FLAGD_SYNC_PORT must be a port 0..65535 or off');
    expect(new EnvInvalidError(found).code).toBe('FLAGFLEET_ENV_INVALID');
  });

  it.each([
    ['WEBHOOK_RETRY_SCHEDULE_MS', '86400001'],
    ['WEBHOOK_RETRY_SCHEDULE_MS', '-5'],
    ['WEBHOOK_RETRY_SCHEDULE_MS', '100,,200'],
    ['FLAGD_EVALUATION_PORT', '65536'],
    ['FLAGD_EVALUATION_PORT', 'on'],
    ['FLAGD_MAX_EVENT_STREAMS', '0'],
    ['FLAGD_MAX_SYNC_STREAMS', 'many'],
    ['SSE_MAX_STREAMS', '-1'],
  ])('refuses %s=%s', (name, value) => {
    expect(problems({ [name]: value }).map((problem) => problem.split(' ')[0])).toEqual([name]);
  });

  it('requires AWS_REGION with APPCONFIG_SOURCES unless APPCONFIG_ENDPOINT is set', () => {
    expect(problems({ APPCONFIG_SOURCES: 'a/b/c' })).toEqual([
      'AWS_REGION is required with APPCONFIG_SOURCES unless APPCONFIG_ENDPOINT is set',
    ]);
    expect(problems({ APPCONFIG_SOURCES: 'a/b/c', APPCONFIG_ENDPOINT: 'http://emulator:2773' })).toEqual([]);
  });

  it('takes a TLS certificate and key together, as absolute paths', () => {
    const both = { TLS_CERT_FILE: 'tls/cert.pem', TLS_KEY_FILE: '/etc/tls/key.pem' };
    expect(ServiceConfig.fromEnv(both).http.tls).toEqual({
      certFile: join(process.cwd(), 'tls/cert.pem'),
      keyFile: '/etc/tls/key.pem',
    });
    for (const one of [{ TLS_CERT_FILE: 'cert.pem' }, { TLS_KEY_FILE: 'key.pem' }] as Record<string, string>[])
      expect(problems(one)).toEqual([
        'TLS_CERT_FILE and TLS_KEY_FILE go together: set both (TLS on every port) or neither',
      ]);
  });

  it('keeps the HTTP headers timeout within the request timeout, and the idle timeout above SSE keep-alives', () => {
    expect(problems({ HTTP_HEADERS_TIMEOUT_MS: '40000' })).toEqual([
      'HTTP_HEADERS_TIMEOUT_MS must not exceed HTTP_REQUEST_TIMEOUT_MS',
    ]);
    expect(problems({ HTTP_IDLE_TIMEOUT_MS: '15000' })).toEqual([
      'HTTP_IDLE_TIMEOUT_MS must exceed SSE_KEEPALIVE_MS',
    ]);
    expect(
      problems({ HTTP_IDLE_TIMEOUT_MS: '1000', SSE_KEEPALIVE_MS: '500', HTTP_REQUEST_TIMEOUT_MS: '10000' }),
    ).toEqual([]);
    expect(problems({ HTTP_MAX_CONNECTIONS: '0' })).toEqual([
      expect.stringContaining('HTTP_MAX_CONNECTIONS'),
    ]);
  });

  it('keeps SSE_MAX_STREAMS, when set, below HTTP_MAX_CONNECTIONS (each stream holds a connection)', () => {
    expect(problems({ SSE_MAX_STREAMS: '10000' })).toEqual([
      'SSE_MAX_STREAMS must be below HTTP_MAX_CONNECTIONS',
    ]);
    expect(problems({ SSE_MAX_STREAMS: '99', HTTP_MAX_CONNECTIONS: '100' })).toEqual([]);
    // The default applies whatever HTTP_MAX_CONNECTIONS is (that cap then comes first).
    expect(problems({ HTTP_MAX_CONNECTIONS: '3' })).toEqual([]);
  });

  it.each([
    'redis://h:6379',
    'rediss://h:6380',
    'redis-sentinel://s1,s2/mymaster',
    'rediss-sentinel://s1/mymaster',
    'redis-cluster://n1,n2',
    'rediss-cluster://n1,n2',
  ])('accepts the documented REDIS_URL form %s', (url) => {
    expect(ServiceConfig.fromEnv({ REDIS_URL: url }).store.redisUrl).toBe(url);
  });

  it('never echoes a value it refuses (a malformed REDIS_URL may hold a password)', () => {
    const found = problems({ REDIS_URL: 'http://user:hunter2@host', WEBHOOK_SECRET_KEY: 'hunter2' });
    expect(found).toHaveLength(2);
    expect(found.join('\n')).not.toContain('hunter2');
  });

  it('reads the emulator part alone for the standalone emulator', () => {
    expect(emulatorConfigFromEnv({ PORT: 'not looked at', EMULATOR_PORT: '0' })).toEqual({
      port: 0,
      host: '127.0.0.1',
      flagsDir: undefined,
      pollIntervalSeconds: 60,
    });
    expect(() => emulatorConfigFromEnv({ EMULATOR_POLL_INTERVAL_SECONDS: '0' })).toThrow(
      /EMULATOR_POLL_INTERVAL_SECONDS/,
    );
  });

  it('reads CORS_ORIGINS as origins or *, and refuses a path or a bare host', () => {
    expect(
      parseEnv({ CORS_ORIGINS: ' https://app.example.com , http://localhost:5173,*' }).CORS_ORIGINS,
    ).toBe('https://app.example.com , http://localhost:5173,*');
    for (const bad of [
      'https://app.example.com/',
      'app.example.com',
      'https://a.example.com/path',
      'ftp://x',
    ])
      expect(problems({ CORS_ORIGINS: bad })).toEqual([
        'CORS_ORIGINS must be comma-separated origins (scheme://host[:port], no path) or *',
      ]);
  });

  it('names every variable it validates in the README configuration table', () => {
    const readme = readFileSync(join(__dirname, '../../../../README.md'), 'utf8');
    const missing = Object.keys(ENV_SCHEMA.properties).filter((name) => !readme.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });
});
