import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { parseSourceKey, type SourceParts } from '@flagfleet/config-store';
import { parseEnv, type ServiceEnv } from './env';

/**
 * The typed, validated configuration of one service process (injectable: `constructor(config: ServiceConfig)`).
 * Built once at start-up by `ServiceConfig.fromEnv`; never re-reads the environment.
 */
export class ServiceConfig {
  readonly port: number;
  readonly host: string;
  readonly flagsDir: string;
  /** null: the embedded default (in-process emulator serving flagsDir). */
  readonly sources: readonly SourceParts[] | null;
  readonly appconfigEndpoint: string | undefined;
  readonly awsRegion: string;
  readonly pollIntervalSeconds: number | undefined;
  readonly embeddedPollIntervalSeconds: number;
  /** How long a dead poller can block the fleet's polling: its lease expires after this. */
  readonly pollLeaseTtlMs: number;
  readonly redisUrl: string | undefined;
  readonly redisKeyPrefix: string | undefined;
  /** Empty: evaluation routes are open. */
  readonly apiKeys: readonly string[];
  /** Empty: admin routes are open (a warning is logged at start-up). */
  readonly adminApiKeys: readonly string[];
  readonly backupDir: string | undefined;
  readonly logLevel: ServiceEnv['LOG_LEVEL'];
  readonly bodyLimitBytes: number;
  readonly jsonMaxDepth: number;
  readonly replicaId: string;
  readonly shutdownTimeoutMs: number;
  readonly metricsMaxFlagLabels: number;
  readonly docsEnabled: boolean;
  /** OFREP JSON POSTs answered on plain node:http ahead of Fastify (see http/ofrep-fast-path.ts). */
  readonly ofrepFastPath: boolean;

  constructor(env: ServiceEnv) {
    this.port = env.PORT;
    this.host = env.HOST;
    this.flagsDir = resolve(env.FLAGS_DIR);
    // The env schema has checked every entry is application/environment/profile.
    this.sources = env.APPCONFIG_SOURCES ? splitList(env.APPCONFIG_SOURCES).map(parseSourceKey) : null;
    this.appconfigEndpoint = env.APPCONFIG_ENDPOINT;
    // The SDK insists on a region even against an endpoint override; the emulator ignores it.
    this.awsRegion = env.AWS_REGION ?? 'us-east-1';
    this.pollIntervalSeconds = env.POLL_INTERVAL_SECONDS;
    this.pollLeaseTtlMs = env.POLL_LEASE_TTL_MS;
    this.embeddedPollIntervalSeconds = env.EMBEDDED_POLL_INTERVAL_SECONDS;
    this.redisUrl = env.REDIS_URL;
    this.redisKeyPrefix = env.REDIS_KEY_PREFIX;
    this.apiKeys = splitList(env.API_KEYS);
    this.adminApiKeys = splitList(env.ADMIN_API_KEYS);
    this.backupDir = env.BACKUP_DIR ? resolve(env.BACKUP_DIR) : undefined;
    this.logLevel = env.LOG_LEVEL;
    this.bodyLimitBytes = env.BODY_LIMIT_BYTES;
    this.jsonMaxDepth = env.JSON_MAX_DEPTH;
    this.replicaId = env.REPLICA_ID ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
    this.shutdownTimeoutMs = env.SHUTDOWN_TIMEOUT_MS;
    this.metricsMaxFlagLabels = env.METRICS_MAX_FLAG_LABELS;
    this.docsEnabled = env.DOCS_ENABLED;
    this.ofrepFastPath = env.OFREP_FAST_PATH;
  }

  /** Throws EnvInvalidError listing every problem. */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
    return new ServiceConfig(parseEnv(env));
  }

  get embedded(): boolean {
    return this.sources === null;
  }
}

function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}
