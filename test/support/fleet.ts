import { startAppConfigEmulator, type RunningEmulator } from '@flagfleet/appconfig-emulator';
import { realisticFlags } from './realistic-flags';
import { startRedisServer, type RedisServerHandle } from './redis-server';
import { startServices, type ServiceProcess } from './service-process';
import { waitFor } from './wait-for';

export const FLEET_SOURCE = { application: 'fleet-app', environment: 'prod', profile: 'flags' } as const;
export const FLEET_SOURCE_KEY = `${FLEET_SOURCE.application}/${FLEET_SOURCE.environment}/${FLEET_SOURCE.profile}`;

/**
 * A flagd document whose `rollout` flag answers `value` (so each deploy is visible in evaluations), plus
 * `extraFlags` realistic targeted flags (a new salt per deploy: every flag changes, as in a large release).
 */
function fleetDocument(value: number, extraFlags: number): string {
  return JSON.stringify({
    flags: {
      ...(extraFlags > 0 ? realisticFlags(extraFlags, value) : {}),
      rollout: { state: 'ENABLED', variants: { current: value, zero: 0 }, defaultVariant: 'current' },
      'kill-switch': { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'off' },
    },
  });
}

export interface SourceView {
  source: string;
  revision: number | null;
  versionLabel: string | null;
  leaseHolder: string | null;
  fetchedAt: string | null;
  loadedAt: string | null;
}

export interface StatusView {
  replicaId: string;
  ready: boolean;
  store: { connected: boolean };
  sources: SourceView[];
}

export interface FleetOptions {
  readonly replicas: number;
  readonly env?: Record<string, string>;
  /** A Redis the caller owns (Cluster, Sentinel); unset: the fleet starts (and stops) its own redis-server. */
  readonly redisUrl?: string;
  /** The source's application name (its Cluster slot follows from it); default `fleet-app`. */
  readonly application?: string;
  /** Realistic targeted flags in every deployed document besides `rollout` and `kill-switch`. */
  readonly extraFlags?: number;
}

/**
 * Real processes, real Redis, the emulator over HTTP: N service replicas polling one source through
 * one shared Redis, the way a platform team runs flagfleet.
 */
export class Fleet {
  /** `application/environment/profile` of the one source every replica polls. */
  readonly sourceKey: string;

  private constructor(
    /** The fleet's own redis-server; undefined when the caller gave a `redisUrl`. */
    readonly redis: RedisServerHandle | undefined,
    readonly emulator: RunningEmulator,
    readonly replicas: ServiceProcess[],
    private readonly application: string,
    private readonly extraFlags: number,
  ) {
    this.sourceKey = `${application}/${FLEET_SOURCE.environment}/${FLEET_SOURCE.profile}`;
  }

  static async start(options: FleetOptions): Promise<Fleet> {
    const redis = options.redisUrl ? undefined : await startRedisServer();
    let emulator: RunningEmulator;
    try {
      emulator = await startAppConfigEmulator({ pollIntervalSeconds: 1 });
    } catch (error) {
      await redis?.stop();
      throw error;
    }
    const fleet = new Fleet(
      redis,
      emulator,
      [],
      options.application ?? FLEET_SOURCE.application,
      options.extraFlags ?? 0,
    );
    const env: Record<string, string> = {
      APPCONFIG_SOURCES: fleet.sourceKey,
      APPCONFIG_ENDPOINT: emulator.url,
      AWS_REGION: 'us-east-1',
      // The SDK's default credential chain reads these; the emulator does not check signatures.
      AWS_ACCESS_KEY_ID: 'emulator',
      AWS_SECRET_ACCESS_KEY: 'emulator',
      REDIS_URL: options.redisUrl ?? redis?.url ?? '',
      POLL_LEASE_TTL_MS: '3000',
      LOG_LEVEL: 'warn',
      ...options.env,
    };
    try {
      fleet.deploy(1);
      const names = Array.from({ length: options.replicas }, (_, i) => `replica-${i + 1}`);
      fleet.replicas.push(
        ...(await startServices(names.map((name) => ({ name, env: { ...env, REPLICA_ID: name } })))),
      );
    } catch (error) {
      await fleet.stop();
      throw error;
    }
    return fleet;
  }

  get alive(): ServiceProcess[] {
    return this.replicas.filter((replica) => !replica.exited);
  }

  /** The `rollout` value of the latest deploy. */
  deployed = 0;

  deploy(value: number): number {
    this.deployed = value;
    return this.emulator.deploy(
      this.application,
      FLEET_SOURCE.environment,
      FLEET_SOURCE.profile,
      fleetDocument(value, this.extraFlags),
      'application/json',
      `v${value}`,
    );
  }

  /** When the last live replica was first seen answering the latest deploy (epoch ms), by `deployNext`. */
  lastAnsweredAt = 0;

  /** Deploys the next value and waits until every live replica's OFREP endpoint answers it. */
  async deployNext(timeoutMs: number): Promise<number> {
    const value = this.deployed + 1;
    this.deploy(value);
    const answered = new Map<string, number>();
    await waitFor(
      async () => {
        const values = await Promise.all(this.alive.map((replica) => this.rollout(replica)));
        const now = Date.now();
        values.forEach(
          (v, i) => v === value && !answered.has(this.alive[i].name) && answered.set(this.alive[i].name, now),
        );
        return values.every((v) => v === value);
      },
      { timeoutMs, intervalMs: 5, message: `every replica to serve rollout=${value}` },
    );
    this.lastAnsweredAt = Math.max(...answered.values());
    return value;
  }

  /** Milliseconds from the fetch of the current document to the last live replica loading it. */
  async propagationMs(): Promise<number> {
    const sources = await Promise.all(this.alive.map((replica) => this.sourceStatus(replica)));
    if (new Set(sources.map((source) => source.revision)).size !== 1)
      throw new Error('replicas disagree on the revision');
    const fetchedAt = Date.parse(sources[0].fetchedAt ?? '');
    return Math.max(...sources.map((source) => Date.parse(source.loadedAt ?? ''))) - fetchedAt;
  }

  /** Milliseconds from the fetch of the current document to the last replica answering it, as clients see it. */
  async answeredMs(): Promise<number> {
    const source = await this.sourceStatus(this.alive[0]);
    return this.lastAnsweredAt - Date.parse(source.fetchedAt ?? '');
  }

  async status(replica: ServiceProcess): Promise<StatusView> {
    const answer = await fetch(`${replica.url}/status`, { signal: AbortSignal.timeout(2_000) });
    if (answer.status !== 200) throw new Error(`${replica.name} /status answered ${answer.status}`);
    return (await answer.json()) as StatusView;
  }

  async sourceStatus(replica: ServiceProcess): Promise<SourceView> {
    const view = await this.status(replica);
    const source = view.sources.find((entry) => entry.source === this.sourceKey);
    if (!source) throw new Error(`${replica.name} reports no source ${this.sourceKey}`);
    return source;
  }

  /** The value of `rollout` as the replica's OFREP endpoint answers it (null on any failure). */
  async rollout(replica: ServiceProcess): Promise<number | null> {
    const answer = await fetch(`${replica.url}/ofrep/v1/evaluate/flags/rollout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ context: { targetingKey: 'user-1' } }),
      signal: AbortSignal.timeout(2_000),
    });
    if (answer.status !== 200) return null;
    const body = (await answer.json()) as { value?: number };
    return body.value ?? null;
  }

  async stop(): Promise<void> {
    await Promise.all(this.replicas.map((replica) => replica.kill('SIGTERM')));
    await this.emulator.close();
    await this.redis?.stop();
  }
}

/** p-th percentile (0..100) of a sample, nearest-rank. */
export function percentile(sample: readonly number[], p: number): number {
  const sorted = [...sample].sort((a, b) => a - b);
  const rank = Math.max(0, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[rank] ?? Number.NaN;
}
