import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { PollerSettings } from '@flagfleet/appconfig-poller';
import { type ChangeDeliveryOptions, DEFAULT_RETRY_SCHEDULE_MS } from '@flagfleet/change-delivery';
import {
  type ConfigStoreOptions,
  DEFAULT_KEY_PREFIX,
  parseSourceKey,
  type SourceParts,
} from '@flagfleet/config-store';
import { parseEnv, type ServiceEnv } from './env';

export interface HttpConfig {
  readonly port: number;
  readonly host: string;
  readonly bodyLimitBytes: number;
  readonly jsonMaxDepth: number;
  /** After SIGTERM/SIGINT the process exits at the latest after this long. */
  readonly shutdownTimeoutMs: number;
  readonly docsEnabled: boolean;
  readonly connections: ConnectionLimits;
  /** Browser origins allowed to call the HTTP port (CORS_ORIGINS; `*` any); empty: CORS off. */
  readonly corsOrigins: readonly string[];
  /** The certificate every port serves TLS with (TLS_CERT_FILE, TLS_KEY_FILE: PEM paths); null: clear text. */
  readonly tls: TlsFiles | null;
}

export interface TlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
}

/** Bounds on every HTTP connection (http/connection-limits.ts applies them; docs/operations.md lists them). */
export interface ConnectionLimits {
  /** The request's headers must have arrived within this (Node's headersTimeout). */
  readonly headersTimeoutMs: number;
  /** The whole request, headers and body, must have arrived within this (Node's requestTimeout). */
  readonly requestTimeoutMs: number;
  /** A connection with no traffic either way for this long is closed (Fastify's connectionTimeout). */
  readonly idleTimeoutMs: number;
  /** An idle keep-alive connection between requests is kept this long. */
  readonly keepAliveTimeoutMs: number;
  /** Requests served on one connection before it is closed; 0 = unlimited. */
  readonly maxRequestsPerSocket: number;
  /** Connections open at once; further ones are dropped on accept. */
  readonly maxConnections: number;
}

/** What to poll: the embedded default (in-process emulator serving a folder), or AppConfig itself. */
export type SourcesConfig =
  | {
      readonly mode: 'embedded';
      readonly flagsDir: string;
      /** Larger files are skipped before they are read (DOCUMENT_MAX_BYTES). */
      readonly maxFileBytes: number;
      /** Next-Poll-Interval-In-Seconds the embedded emulator answers. */
      readonly pollIntervalSeconds: number;
    }
  | {
      readonly mode: 'appconfig';
      /** The first is the default source. */
      readonly list: readonly SourceParts[];
      readonly endpoint: string | undefined;
      readonly region: string;
    };

export interface SseConfig {
  readonly keepAliveMs: number;
  /** Streams open at once on the HTTP port; one more is answered 503 with Retry-After. */
  readonly maxStreams: number;
}

export interface AuthConfig {
  /** Empty: evaluation routes are open. */
  readonly apiKeys: readonly string[];
  /** Empty: admin routes are open (a warning is logged at start-up). */
  readonly adminApiKeys: readonly string[];
}

export interface ObservabilityConfig {
  readonly logLevel: ServiceEnv['LOG_LEVEL'];
  readonly metricsMaxFlagLabels: number;
}

/** flagd's gRPC ports; null: that server is off. */
export interface FlagdConfig {
  readonly evaluationPort: number | null;
  readonly syncPort: number | null;
  /** Largest gRPC message sent (a sync document); requests are bounded by http.bodyLimitBytes, as HTTP bodies. */
  readonly maxMessageBytes: number;
  /**
   * EventStream's keep_alive period, and of the HTTP/2 pings on every connection: one that has not answered
   * the previous ping (half-open) is closed, ending its streams.
   */
  readonly keepAliveMs: number;
  /** EventStreams (v1 + v2) open at once on the evaluation port, SyncFlags on the sync port. */
  readonly maxEventStreams: number;
  readonly maxSyncStreams: number;
  /** A connection with no call open for this long is closed with GOAWAY. */
  readonly idleTimeoutMs: number;
}

/**
 * The typed, validated configuration of one service process, one section per concern; each lib module takes
 * its section (`ConfigStoreModule.forRoot(config.store)`, …). Built once at start-up by `ServiceConfig.fromEnv`,
 * never re-read; injectable as `constructor(config: ServiceConfig)`.
 */
export class ServiceConfig {
  /** This replica's one name: lease owner, webhook queue consumer, Redis connection names, `/status`. */
  readonly replicaId: string;
  readonly http: HttpConfig;
  readonly sources: SourcesConfig;
  readonly store: ConfigStoreOptions;
  readonly poller: PollerSettings;
  readonly delivery: ChangeDeliveryOptions;
  readonly sse: SseConfig;
  readonly auth: AuthConfig;
  readonly observability: ObservabilityConfig;
  readonly flagd: FlagdConfig;

  constructor(env: ServiceEnv) {
    this.replicaId = env.REPLICA_ID ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
    this.http = {
      port: env.PORT,
      host: env.HOST,
      bodyLimitBytes: env.BODY_LIMIT_BYTES,
      jsonMaxDepth: env.JSON_MAX_DEPTH,
      shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
      docsEnabled: env.DOCS_ENABLED,
      corsOrigins: splitList(env.CORS_ORIGINS),
      tls:
        env.TLS_CERT_FILE !== undefined && env.TLS_KEY_FILE !== undefined
          ? { certFile: resolve(env.TLS_CERT_FILE), keyFile: resolve(env.TLS_KEY_FILE) }
          : null,
      connections: {
        headersTimeoutMs: env.HTTP_HEADERS_TIMEOUT_MS,
        requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS,
        idleTimeoutMs: env.HTTP_IDLE_TIMEOUT_MS,
        keepAliveTimeoutMs: env.HTTP_KEEP_ALIVE_TIMEOUT_MS,
        maxRequestsPerSocket: env.HTTP_MAX_REQUESTS_PER_SOCKET,
        maxConnections: env.HTTP_MAX_CONNECTIONS,
      },
    };
    this.sources = env.APPCONFIG_SOURCES
      ? {
          mode: 'appconfig',
          // The env schema has checked every entry is application/environment/profile.
          list: splitList(env.APPCONFIG_SOURCES).map(parseSourceKey),
          endpoint: env.APPCONFIG_ENDPOINT,
          // The SDK insists on a region even against an endpoint override; the emulator ignores it.
          region: env.AWS_REGION ?? 'us-east-1',
        }
      : {
          mode: 'embedded',
          flagsDir: resolve(env.FLAGS_DIR),
          pollIntervalSeconds: env.EMBEDDED_POLL_INTERVAL_SECONDS,
          maxFileBytes: env.DOCUMENT_MAX_BYTES,
        };
    this.store = {
      redisUrl: env.REDIS_URL,
      keyPrefix: env.REDIS_KEY_PREFIX,
      maxDocumentBytes: env.DOCUMENT_MAX_BYTES,
    };
    this.poller = {
      replicaId: this.replicaId,
      requiredMinimumPollIntervalSeconds: env.POLL_INTERVAL_SECONDS,
      leaseTtlMs: env.POLL_LEASE_TTL_MS,
      backupDir: env.BACKUP_DIR ? resolve(env.BACKUP_DIR) : undefined,
      documentLimits: { maxBytes: env.DOCUMENT_MAX_BYTES, maxDepth: env.DOCUMENT_MAX_DEPTH },
      featureFlagRules: env.APPCONFIG_FEATURE_FLAG_RULES,
    };
    this.delivery = {
      replicaId: this.replicaId,
      secretKey: env.WEBHOOK_SECRET_KEY ?? null,
      targets: {
        allowHttp: env.WEBHOOK_ALLOW_HTTP,
        allowedHosts: splitList(env.WEBHOOK_ALLOWED_HOSTS).map((host) =>
          host.toLowerCase().replace(/^\[|\]$/g, ''),
        ),
      },
      retryScheduleMs: env.WEBHOOK_RETRY_SCHEDULE_MS
        ? splitList(env.WEBHOOK_RETRY_SCHEDULE_MS).map(Number)
        : DEFAULT_RETRY_SCHEDULE_MS,
      timeoutMs: env.WEBHOOK_TIMEOUT_MS,
      claimIdleMs: env.WEBHOOK_CLAIM_IDLE_MS,
      logLength: env.WEBHOOK_DELIVERY_LOG_SIZE,
      maxSubscriptions: env.WEBHOOK_MAX_SUBSCRIPTIONS,
      redis: env.REDIS_URL
        ? { url: env.REDIS_URL, keyPrefix: env.REDIS_KEY_PREFIX ?? DEFAULT_KEY_PREFIX }
        : null,
    };
    this.sse = { keepAliveMs: env.SSE_KEEPALIVE_MS, maxStreams: env.SSE_MAX_STREAMS };
    this.auth = { apiKeys: splitList(env.API_KEYS), adminApiKeys: splitList(env.ADMIN_API_KEYS) };
    this.observability = { logLevel: env.LOG_LEVEL, metricsMaxFlagLabels: env.METRICS_MAX_FLAG_LABELS };
    this.flagd = {
      evaluationPort: portOrOff(env.FLAGD_EVALUATION_PORT),
      syncPort: portOrOff(env.FLAGD_SYNC_PORT),
      maxMessageBytes: env.FLAGD_MAX_MESSAGE_BYTES,
      keepAliveMs: env.FLAGD_KEEPALIVE_MS,
      maxEventStreams: env.FLAGD_MAX_EVENT_STREAMS,
      maxSyncStreams: env.FLAGD_MAX_SYNC_STREAMS,
      idleTimeoutMs: env.FLAGD_IDLE_TIMEOUT_MS,
    };
  }

  /** Throws EnvInvalidError listing every problem. */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
    return new ServiceConfig(parseEnv(env));
  }
}

function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

function portOrOff(value: string): number | null {
  return value === 'off' ? null : Number(value);
}
