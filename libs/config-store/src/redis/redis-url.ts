import Redis, { Cluster, ClusterOptions, RedisOptions } from 'ioredis';
import { redactUrl } from '@flagfleet/core';
import { RedisUrlInvalidError } from '../errors';

/**
 * REDIS_URL forms (documented in docs/redis.md):
 * - standalone: `redis://[[user]:pass@]host[:6379][/db]`, `rediss://…` for TLS
 * - Sentinel:   `redis-sentinel://[[user]:pass@]host1[:26379],host2[:26379]/master[/db][?sentinelPassword=…]`
 *               (`rediss-sentinel://` for TLS to the master and the sentinels)
 * - Cluster:    `redis-cluster://[[user]:pass@]host1[:6379],host2[:6379]` (`rediss-cluster://` for TLS)
 */
export type RedisTarget =
  | {
      readonly mode: 'standalone';
      readonly host: string;
      readonly port: number;
      readonly db: number;
      readonly auth: RedisAuth;
      readonly tls: boolean;
    }
  | {
      readonly mode: 'sentinel';
      readonly sentinels: RedisNode[];
      readonly name: string;
      readonly db: number;
      readonly auth: RedisAuth;
      readonly sentinelPassword?: string;
      readonly tls: boolean;
    }
  | {
      readonly mode: 'cluster';
      readonly nodes: RedisNode[];
      readonly auth: RedisAuth;
      readonly tls: boolean;
    };

export interface RedisNode {
  readonly host: string;
  readonly port: number;
}

export interface RedisAuth {
  readonly username?: string;
  readonly password?: string;
}

const SCHEMES: Record<string, { mode: RedisTarget['mode']; tls: boolean; port: number }> = {
  redis: { mode: 'standalone', tls: false, port: 6379 },
  rediss: { mode: 'standalone', tls: true, port: 6379 },
  'redis-sentinel': { mode: 'sentinel', tls: false, port: 26379 },
  'rediss-sentinel': { mode: 'sentinel', tls: true, port: 26379 },
  'redis-cluster': { mode: 'cluster', tls: false, port: 6379 },
  'rediss-cluster': { mode: 'cluster', tls: true, port: 6379 },
};

// scheme://[userinfo@]hosts[/path][?query] — hand-parsed because WHATWG URL rejects host lists.
const URL_SHAPE = /^([a-z-]+):\/\/(?:([^@/?#]*)@)?([^/?#]*)(\/[^?#]*)?(?:\?([^#]*))?$/i;

/** The URL with its password (and any credential query value) replaced by `***`: safe to log (core's redactUrl). */
export function redactRedisUrl(url: string): string {
  return redactUrl(url);
}

export function parseRedisUrl(url: string): RedisTarget {
  const invalid = (reason: string) => new RedisUrlInvalidError(redactRedisUrl(url), reason);
  const match = URL_SHAPE.exec(url.trim());
  if (!match) throw invalid('expected scheme://[user:password@]host[:port][/…]');
  const [, rawScheme, userinfo, hostList, path = '', query = ''] = match;
  const scheme = SCHEMES[rawScheme.toLowerCase()];
  if (!scheme) throw invalid(`unknown scheme ${rawScheme}: use ${Object.keys(SCHEMES).join(', ')}`);

  const auth = parseAuth(userinfo, invalid);
  const nodes = hostList.split(',').map((node) => parseNode(node, scheme.port, invalid));
  const params = new URLSearchParams(query);
  const segments = path
    .split('/')
    .filter((segment) => segment.length > 0)
    .map(decodeURIComponent);

  if (scheme.mode === 'standalone') {
    if (nodes.length !== 1) throw invalid('a standalone URL names exactly one host');
    if (segments.length > 1) throw invalid('path must be /<db>');
    const db = parseDb(segments[0] ?? params.get('db'), invalid);
    return { mode: 'standalone', ...nodes[0], db, auth, tls: scheme.tls };
  }
  if (scheme.mode === 'sentinel') {
    const [name, dbSegment] = segments;
    if (!name || segments.length > 2) throw invalid('path must be /<master name>[/<db>]');
    const sentinelPassword = params.get('sentinelPassword') ?? undefined;
    const db = parseDb(dbSegment ?? params.get('db'), invalid);
    return {
      mode: 'sentinel',
      sentinels: nodes,
      name,
      db,
      auth,
      tls: scheme.tls,
      ...(sentinelPassword ? { sentinelPassword } : {}),
    };
  }
  // Redis Cluster has only database 0.
  if (segments.length > 0) throw invalid('a cluster URL has no path');
  return { mode: 'cluster', nodes, auth, tls: scheme.tls };
}

function parseAuth(userinfo: string | undefined, invalid: (reason: string) => Error): RedisAuth {
  if (!userinfo) return {};
  const colon = userinfo.indexOf(':');
  try {
    const username = decodeURIComponent(colon < 0 ? userinfo : userinfo.slice(0, colon));
    const password = colon < 0 ? undefined : decodeURIComponent(userinfo.slice(colon + 1));
    return { ...(username ? { username } : {}), ...(password ? { password } : {}) };
  } catch {
    throw invalid('credentials are not valid percent-encoding');
  }
}

function parseNode(node: string, defaultPort: number, invalid: (reason: string) => Error): RedisNode {
  // `[::1]:6379` for IPv6, `host:port` otherwise.
  const match = /^(?:\[([0-9a-f:.]+)\]|([^:[\]\s]+))(?::(\d{1,5}))?$/i.exec(node);
  if (!match) throw invalid(`bad host ${JSON.stringify(node)}`);
  const port = match[3] === undefined ? defaultPort : Number(match[3]);
  if (port < 1 || port > 65535) throw invalid(`bad port ${port}`);
  return { host: match[1] ?? match[2], port };
}

function parseDb(value: string | null | undefined, invalid: (reason: string) => Error): number {
  if (value === undefined || value === null || value === '') return 0;
  if (!/^\d{1,5}$/.test(value)) throw invalid(`database must be a number, got ${JSON.stringify(value)}`);
  return Number(value);
}

export interface RedisClientOptions {
  /** Bound on every command, queued ones included: a down or hung Redis rejects within it. Default 2000. */
  readonly commandTimeoutMs?: number;
  /** Reconnect backoff doubles from 50 ms up to this cap. Default 2000. */
  readonly maxBackoffMs?: number;
  /** Shown by CLIENT LIST; helps operators tell replicas apart. */
  readonly connectionName?: string;
  /** Escape hatch merged last (e.g. TLS certificates). */
  readonly redisOptions?: RedisOptions;
}

/** ioredis options for a fail-fast client that reconnects forever with capped backoff. */
export function redisOptionsFor(target: RedisTarget, options: RedisClientOptions = {}): RedisOptions {
  const maxBackoffMs = options.maxBackoffMs ?? 2000;
  return {
    ...target.auth,
    ...(target.tls ? { tls: {} } : {}),
    ...(target.mode !== 'cluster' ? { db: target.db } : {}),
    connectionName: options.connectionName,
    // Commands queue while (re)connecting, but commandTimeout bounds each one: callers learn fast.
    commandTimeout: options.commandTimeoutMs ?? 2000,
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times - 1, 16), maxBackoffMs),
    ...options.redisOptions,
  };
}

/** A client for REDIS_URL (any form above); change-delivery reuses it for its own keys. */
export function createRedisClient(url: string, options: RedisClientOptions = {}): Redis | Cluster {
  const target = parseRedisUrl(url);
  const redisOptions = redisOptionsFor(target, options);
  switch (target.mode) {
    case 'standalone':
      return new Redis({ ...redisOptions, host: target.host, port: target.port });
    case 'sentinel':
      return new Redis({
        ...redisOptions,
        sentinels: target.sentinels.map((node) => ({ ...node })),
        name: target.name,
        sentinelPassword: target.sentinelPassword,
        ...(target.tls ? { enableTLSForSentinelMode: true, sentinelTLS: {} } : {}),
      });
    case 'cluster': {
      const clusterOptions: ClusterOptions = {
        redisOptions,
        clusterRetryStrategy: redisOptions.retryStrategy,
        enableOfflineQueue: true,
        lazyConnect: redisOptions.lazyConnect,
      };
      return new Cluster(
        target.nodes.map((node) => ({ ...node })),
        clusterOptions,
      );
    }
  }
}
