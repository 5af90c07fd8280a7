import Ajv, { type ErrorObject } from 'ajv';
import { EnvInvalidError } from '../errors';

/**
 * The service's environment, validated once at start-up. Every variable is documented in docs/service.md.
 * Values arrive as strings; the schema coerces numbers and booleans so that one error list names every problem.
 */
export interface ServiceEnv {
  PORT: number;
  HOST: string;
  FLAGS_DIR: string;
  APPCONFIG_SOURCES?: string;
  APPCONFIG_ENDPOINT?: string;
  AWS_REGION?: string;
  POLL_INTERVAL_SECONDS?: number;
  POLL_LEASE_TTL_MS: number;
  REDIS_URL?: string;
  REDIS_KEY_PREFIX?: string;
  API_KEYS?: string;
  ADMIN_API_KEYS?: string;
  BACKUP_DIR?: string;
  LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  BODY_LIMIT_BYTES: number;
  JSON_MAX_DEPTH: number;
  REPLICA_ID?: string;
  SHUTDOWN_TIMEOUT_MS: number;
  METRICS_MAX_FLAG_LABELS: number;
  EMBEDDED_POLL_INTERVAL_SECONDS: number;
  DOCS_ENABLED: boolean;
  OFREP_FAST_PATH: boolean;
}

const SOURCE = '[^/,\\s]{1,128}/[^/,\\s]{1,128}/[^/,\\s]{1,128}';

const schema = {
  type: 'object',
  properties: {
    PORT: { type: 'integer', minimum: 0, maximum: 65535, default: 8080 },
    HOST: { type: 'string', minLength: 1, default: '0.0.0.0' },
    FLAGS_DIR: { type: 'string', minLength: 1, default: './flags' },
    APPCONFIG_SOURCES: {
      type: 'string',
      pattern: `^\\s*${SOURCE}\\s*(,\\s*${SOURCE}\\s*)*$`,
      errorMessage: 'comma-separated application/environment/profile',
    },
    APPCONFIG_ENDPOINT: { type: 'string', pattern: '^https?://[^\\s]+$' },
    AWS_REGION: { type: 'string', pattern: '^[a-z0-9-]{2,32}$' },
    POLL_INTERVAL_SECONDS: { type: 'integer', minimum: 15, maximum: 86400 },
    POLL_LEASE_TTL_MS: { type: 'integer', minimum: 1000, maximum: 600000, default: 30000 },
    // The schemes of docs/redis.md; the store parses the rest and names any problem at start-up.
    REDIS_URL: { type: 'string', pattern: '^rediss?(-sentinel|-cluster)?://' },
    REDIS_KEY_PREFIX: { type: 'string', minLength: 1, maxLength: 64 },
    API_KEYS: { type: 'string' },
    ADMIN_API_KEYS: { type: 'string' },
    BACKUP_DIR: { type: 'string', minLength: 1 },
    LOG_LEVEL: { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info' },
    BODY_LIMIT_BYTES: { type: 'integer', minimum: 256, maximum: 10485760, default: 65536 },
    JSON_MAX_DEPTH: { type: 'integer', minimum: 2, maximum: 256, default: 32 },
    REPLICA_ID: { type: 'string', minLength: 1, maxLength: 128 },
    SHUTDOWN_TIMEOUT_MS: { type: 'integer', minimum: 0, maximum: 600000, default: 10000 },
    METRICS_MAX_FLAG_LABELS: { type: 'integer', minimum: 0, maximum: 10000, default: 200 },
    EMBEDDED_POLL_INTERVAL_SECONDS: { type: 'integer', minimum: 1, maximum: 86400, default: 1 },
    DOCS_ENABLED: { type: 'boolean', default: true },
    OFREP_FAST_PATH: { type: 'boolean', default: true },
  },
} as const;

const ajv = new Ajv({ allErrors: true, coerceTypes: true, useDefaults: true, strict: false });
const validate = ajv.compile(schema);

function describe(error: ErrorObject): string {
  const name = error.instancePath.replace(/^\//, '');
  const hint = (schema.properties as Record<string, { errorMessage?: string }>)[name]?.errorMessage;
  return `${name} ${hint ? `must be ${hint}` : (error.message ?? 'is invalid')}`;
}

/** Validates the known variables of `env` (others are ignored); empty strings count as unset. */
export function parseEnv(env: NodeJS.ProcessEnv): ServiceEnv {
  const input: Record<string, string> = {};
  for (const name of Object.keys(schema.properties)) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') input[name] = value.trim();
  }
  if (!validate(input)) throw new EnvInvalidError((validate.errors ?? []).map(describe));
  const parsed = input as unknown as ServiceEnv;
  if (parsed.APPCONFIG_SOURCES && !parsed.AWS_REGION && !parsed.APPCONFIG_ENDPOINT) {
    throw new EnvInvalidError([
      'AWS_REGION is required with APPCONFIG_SOURCES unless APPCONFIG_ENDPOINT is set',
    ]);
  }
  return parsed;
}
