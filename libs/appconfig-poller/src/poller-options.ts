import type { AppConfigDataClientConfig } from '@aws-sdk/client-appconfigdata';
import { sourceKey, type SourceKey, type SourceParts } from '@flagfleet/config-store';
import type { DocumentLimits } from '@flagfleet/flag-engine';
import { PollerOptionsInvalidError } from './errors';

/** One AppConfig configuration profile to poll; its key is `sourceKey(application, environment, profile)`. */
export type AppConfigSource = SourceParts;

export interface AppConfigClientOptions {
  /** AppConfigData endpoint override (the emulator's URL). */
  endpoint?: string;
  region?: string;
  /** Static credentials (dummy ones for the emulator); default: the SDK's provider chain. */
  credentials?: AppConfigDataClientConfig['credentials'];
  /** The SDK's request handler (the embedded emulator's in-process one); default: the SDK's HTTP client. */
  requestHandler?: AppConfigDataClientConfig['requestHandler'];
  /** Per-call timeout; a call running longer is abandoned and retried with backoff. Default 10 000. */
  requestTimeoutMs?: number;
}

/** Where multi-variant flags' rules are read from (docs/poller.md). */
export type FeatureFlagRules = 'data-plane' | 'hosted';

/** The `poller` section of the service's configuration: how to poll, whatever the sources. */
export interface PollerSettings {
  /** POLL_INTERVAL_SECONDS (15..86400), sent on StartConfigurationSession. */
  requiredMinimumPollIntervalSeconds?: number;
  /** Lease owner id: this replica's one name (REPLICA_ID). */
  replicaId: string;
  /** Poll lease TTL; renewed every third of it while a call runs. Default 30 000. */
  leaseTtlMs?: number;
  /**
   * APPCONFIG_FEATURE_FLAG_RULES: 'hosted' reads each changed configuration's hosted version from the control
   * plane (the authoring document, with variant data); default 'data-plane': the GetLatestConfiguration bytes.
   */
  featureFlagRules?: FeatureFlagRules;
  /** BACKUP_DIR: the last good document of each source is kept here and served at a cold start. */
  backupDir?: string;
  /** How often each source checks whether a poll is due. Default 1000. */
  schedulerTickMs?: number;
  /** Size and nesting bounds of flag documents, checked before parsing (flag-engine's defaults otherwise). */
  documentLimits?: Partial<DocumentLimits>;
  /** Backoff bounds after failures. Defaults 1000 and 300 000. */
  backoffMinMs?: number;
  backoffMaxMs?: number;
}

/**
 * `AppConfigPollerModule.forRoot(options)`: the settings plus what to poll and how to reach it (known only at
 * start-up in the embedded default, whose emulator listens on an ephemeral port).
 */
export interface PollerModuleOptions extends PollerSettings {
  /** The first is the default source. */
  sources: AppConfigSource[];
  client: AppConfigClientOptions;
}

/** Options after validation, with defaults applied. */
export interface ResolvedPollerOptions {
  readonly sources: readonly (AppConfigSource & { readonly key: SourceKey })[];
  readonly client: Readonly<AppConfigClientOptions> & { readonly requestTimeoutMs: number };
  readonly requiredMinimumPollIntervalSeconds?: number;
  readonly replicaId: string;
  readonly leaseTtlMs: number;
  readonly backupDir?: string;
  readonly featureFlagRules: FeatureFlagRules;
  readonly schedulerTickMs: number;
  readonly documentLimits?: Partial<DocumentLimits>;
  readonly backoffMinMs: number;
  readonly backoffMaxMs: number;
}

export const POLLER_OPTIONS = Symbol('POLLER_OPTIONS');

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0)
    throw new PollerOptionsInvalidError(`${name} must be a positive number`);
  return value;
}

export function resolvePollerOptions(options: PollerModuleOptions): ResolvedPollerOptions {
  if (!options.sources?.length) throw new PollerOptionsInvalidError('at least one source is required');
  const sources = options.sources.map((source) => {
    const key = sourceKey(source.application, source.environment, source.profile);
    for (const [field, value] of Object.entries(source)) {
      if (value.length > 128)
        throw new PollerOptionsInvalidError(`${key}: ${field} is longer than 128 characters`);
    }
    return { ...source, key };
  });
  const keys = new Set(sources.map((source) => source.key));
  if (keys.size !== sources.length) throw new PollerOptionsInvalidError('sources are listed twice');
  const interval = options.requiredMinimumPollIntervalSeconds;
  if (interval !== undefined && !(Number.isInteger(interval) && interval >= 15 && interval <= 86_400)) {
    throw new PollerOptionsInvalidError('requiredMinimumPollIntervalSeconds must be an integer in 15..86400');
  }
  const backoffMinMs = positive('backoffMinMs', options.backoffMinMs, 1000);
  const backoffMaxMs = positive('backoffMaxMs', options.backoffMaxMs, 300_000);
  if (backoffMaxMs < backoffMinMs) throw new PollerOptionsInvalidError('backoffMaxMs is below backoffMinMs');
  return {
    sources,
    client: {
      ...options.client,
      requestTimeoutMs: positive('requestTimeoutMs', options.client?.requestTimeoutMs, 10_000),
    },
    requiredMinimumPollIntervalSeconds: interval,
    replicaId: options.replicaId,
    leaseTtlMs: positive('leaseTtlMs', options.leaseTtlMs, 30_000),
    backupDir: options.backupDir,
    featureFlagRules: options.featureFlagRules ?? 'data-plane',
    schedulerTickMs: positive('schedulerTickMs', options.schedulerTickMs, 1000),
    documentLimits: options.documentLimits,
    backoffMinMs,
    backoffMaxMs,
  };
}
