import { DeliveryConfigInvalidError } from './errors';
import { DEFAULT_LOG_LENGTH } from './records/delivery-records';
import { parseRetrySchedule } from './retry/retry-schedule';
import type { TargetPolicy } from './targets/target-policy';

/** Change delivery settings, validated once at start-up from WEBHOOK_* / SSE_* variables. */
export interface DeliveryConfig {
  /** Unset: a warning, and secrets only work for a single replica (see docs/webhooks.md). */
  readonly secretKey: string | null;
  readonly targets: TargetPolicy;
  readonly retryScheduleMs: readonly number[];
  readonly timeoutMs: number;
  readonly claimIdleMs: number;
  readonly tickMs: number;
  readonly logLength: number;
  readonly sseKeepAliveMs: number;
}

function integer(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new DeliveryConfigInvalidError(name, `expected an integer ${min}..${max}`);
  }
  return value;
}

function boolean(env: Readonly<Record<string, string | undefined>>, name: string): boolean {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (raw === '' || raw === 'false' || raw === '0') return false;
  if (raw === 'true' || raw === '1') return true;
  throw new DeliveryConfigInvalidError(name, 'expected true or false');
}

export function parseDeliveryConfig(env: Readonly<Record<string, string | undefined>>): DeliveryConfig {
  const secretKey = env.WEBHOOK_SECRET_KEY?.trim() || null;
  if (secretKey !== null && secretKey.length < 16) {
    throw new DeliveryConfigInvalidError(
      'WEBHOOK_SECRET_KEY',
      'use at least 16 characters (e.g. `openssl rand -base64 32`)',
    );
  }
  const claimIdleMs = integer(env, 'WEBHOOK_CLAIM_IDLE_MS', 60_000, 100, 3_600_000);
  const timeoutMs = integer(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 100, 60_000);
  return {
    secretKey,
    targets: {
      allowHttp: boolean(env, 'WEBHOOK_ALLOW_HTTP'),
      allowedHosts: (env.WEBHOOK_ALLOWED_HOSTS ?? '')
        .split(',')
        .map((h) =>
          h
            .trim()
            .toLowerCase()
            .replace(/^\[|\]$/g, ''),
        )
        .filter(Boolean),
    },
    retryScheduleMs: parseRetrySchedule(env.WEBHOOK_RETRY_SCHEDULE_MS),
    timeoutMs,
    claimIdleMs,
    tickMs: Math.min(500, Math.max(20, Math.floor(claimIdleMs / 10))),
    logLength: integer(env, 'WEBHOOK_DELIVERY_LOG_SIZE', DEFAULT_LOG_LENGTH, 1, 1000),
    sseKeepAliveMs: integer(env, 'SSE_KEEPALIVE_MS', 15_000, 100, 300_000),
  };
}
