import Ajv, { type ErrorObject } from 'ajv';
import { DEFAULT_DOCUMENT_LIMITS } from '@flagfleet/flag-engine';
import { FLAGD_KEEP_ALIVE_MS } from '@flagfleet/flagd-protocol';
import { EnvInvalidError } from '../errors';

/**
 * THE environment schema: every variable the service and the standalone emulator read, validated once at
 * start-up (docs: the README's configuration table). Values arrive as strings; the schema coerces numbers and
 * booleans so that one error list names every problem. A new setting is one entry here, one field in ServiceEnv,
 * one line in its ServiceConfig section and one row in the README.
 */
export interface ServiceEnv {
  // http
  PORT: number;
  HOST: string;
  BODY_LIMIT_BYTES: number;
  JSON_MAX_DEPTH: number;
  SHUTDOWN_TIMEOUT_MS: number;
  DOCS_ENABLED: boolean;
  HTTP_HEADERS_TIMEOUT_MS: number;
  HTTP_REQUEST_TIMEOUT_MS: number;
  HTTP_IDLE_TIMEOUT_MS: number;
  HTTP_KEEP_ALIVE_TIMEOUT_MS: number;
  HTTP_MAX_REQUESTS_PER_SOCKET: number;
  HTTP_MAX_CONNECTIONS: number;
  CORS_ORIGINS?: string;
  TLS_CERT_FILE?: string;
  TLS_KEY_FILE?: string;
  // sources
  FLAGS_DIR: string;
  EMBEDDED_POLL_INTERVAL_SECONDS: number;
  APPCONFIG_SOURCES?: string;
  APPCONFIG_ENDPOINT?: string;
  AWS_REGION?: string;
  // poller
  POLL_INTERVAL_SECONDS?: number;
  POLL_LEASE_TTL_MS: number;
  BACKUP_DIR?: string;
  DOCUMENT_MAX_BYTES: number;
  DOCUMENT_MAX_DEPTH: number;
  APPCONFIG_FEATURE_FLAG_RULES: 'data-plane' | 'hosted';
  // store
  REDIS_URL?: string;
  REDIS_KEY_PREFIX?: string;
  REPLICA_ID?: string;
  // auth
  API_KEYS?: string;
  ADMIN_API_KEYS?: string;
  // observability
  LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  METRICS_MAX_FLAG_LABELS: number;
  // delivery
  WEBHOOK_SECRET_KEY?: string;
  WEBHOOK_ALLOW_HTTP: boolean;
  WEBHOOK_ALLOWED_HOSTS?: string;
  WEBHOOK_RETRY_SCHEDULE_MS?: string;
  WEBHOOK_TIMEOUT_MS: number;
  WEBHOOK_CLAIM_IDLE_MS: number;
  WEBHOOK_DELIVERY_LOG_SIZE: number;
  WEBHOOK_MAX_SUBSCRIPTIONS: number;
  // sse
  SSE_KEEPALIVE_MS: number;
  SSE_MAX_STREAMS: number;
  // flagd
  FLAGD_EVALUATION_PORT: string;
  FLAGD_SYNC_PORT: string;
  FLAGD_MAX_MESSAGE_BYTES: number;
  FLAGD_KEEPALIVE_MS: number;
  FLAGD_MAX_EVENT_STREAMS: number;
  FLAGD_MAX_SYNC_STREAMS: number;
  FLAGD_IDLE_TIMEOUT_MS: number;
  // the standalone emulator (npm run start:emulator)
  EMULATOR_PORT: number;
  EMULATOR_HOST: string;
  EMULATOR_FLAGS_DIR?: string;
  EMULATOR_POLL_INTERVAL_SECONDS: number;
}

const SOURCE = '[^/,\\s]{1,128}/[^/,\\s]{1,128}/[^/,\\s]{1,128}';
/** A browser's Origin header: scheme, host and optional port, nothing after (or `*`, any origin). */
const ORIGIN = '(\\*|https?://[^/,\\s]{1,253})';
const PORT_OR_OFF = '^(off|[0-9]{1,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])$';
const integer = (minimum: number, maximum: number, value?: number) =>
  ({ type: 'integer', minimum, maximum, ...(value === undefined ? {} : { default: value }) }) as const;
const boolean = (value: boolean) => ({ type: 'boolean', default: value }) as const;
const portOrOff = (value: number) =>
  ({
    type: 'string',
    pattern: PORT_OR_OFF,
    default: String(value),
    errorMessage: 'a port 0..65535 or off',
  }) as const;

export const ENV_SCHEMA = {
  type: 'object',
  properties: {
    PORT: integer(0, 65535, 8080),
    HOST: { type: 'string', minLength: 1, default: '0.0.0.0' },
    BODY_LIMIT_BYTES: integer(256, 10485760, 65536),
    JSON_MAX_DEPTH: integer(2, 256, 32),
    SHUTDOWN_TIMEOUT_MS: integer(0, 600000, 10000),
    DOCS_ENABLED: boolean(true),
    HTTP_HEADERS_TIMEOUT_MS: integer(100, 600000, 10000),
    HTTP_REQUEST_TIMEOUT_MS: integer(100, 3600000, 30000),
    HTTP_IDLE_TIMEOUT_MS: integer(100, 3600000, 60000),
    HTTP_KEEP_ALIVE_TIMEOUT_MS: integer(100, 3600000, 72000),
    HTTP_MAX_REQUESTS_PER_SOCKET: integer(0, 100000000, 10000),
    HTTP_MAX_CONNECTIONS: integer(1, 1000000, 10000),
    CORS_ORIGINS: {
      type: 'string',
      pattern: `^\\s*${ORIGIN}\\s*(,\\s*${ORIGIN}\\s*)*$`,
      errorMessage: 'comma-separated origins (scheme://host[:port], no path) or *',
    },
    TLS_CERT_FILE: { type: 'string', minLength: 1 },
    TLS_KEY_FILE: { type: 'string', minLength: 1 },

    FLAGS_DIR: { type: 'string', minLength: 1, default: './flags' },
    EMBEDDED_POLL_INTERVAL_SECONDS: integer(1, 86400, 1),
    APPCONFIG_SOURCES: {
      type: 'string',
      pattern: `^\\s*${SOURCE}\\s*(,\\s*${SOURCE}\\s*)*$`,
      errorMessage: 'comma-separated application/environment/profile',
    },
    APPCONFIG_ENDPOINT: { type: 'string', pattern: '^https?://[^\\s]+$' },
    AWS_REGION: { type: 'string', pattern: '^[a-z0-9-]{2,32}$' },

    POLL_INTERVAL_SECONDS: integer(15, 86400),
    POLL_LEASE_TTL_MS: integer(1000, 600000, 30000),
    BACKUP_DIR: { type: 'string', minLength: 1 },
    DOCUMENT_MAX_BYTES: integer(1024, 268435456, DEFAULT_DOCUMENT_LIMITS.maxBytes),
    DOCUMENT_MAX_DEPTH: integer(8, 1024, DEFAULT_DOCUMENT_LIMITS.maxDepth),
    APPCONFIG_FEATURE_FLAG_RULES: { enum: ['data-plane', 'hosted'], default: 'data-plane' },

    // The schemes of docs/redis.md; the store parses the rest and names any problem at start-up.
    REDIS_URL: { type: 'string', pattern: '^rediss?(-sentinel|-cluster)?://' },
    REDIS_KEY_PREFIX: { type: 'string', minLength: 1, maxLength: 64 },
    REPLICA_ID: { type: 'string', minLength: 1, maxLength: 128 },

    API_KEYS: { type: 'string' },
    ADMIN_API_KEYS: { type: 'string' },

    LOG_LEVEL: { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info' },
    METRICS_MAX_FLAG_LABELS: integer(0, 10000, 200),

    WEBHOOK_SECRET_KEY: {
      type: 'string',
      minLength: 16,
      errorMessage: 'at least 16 characters (e.g. `openssl rand -base64 32`)',
    },
    WEBHOOK_ALLOW_HTTP: boolean(false),
    WEBHOOK_ALLOWED_HOSTS: { type: 'string' },
    WEBHOOK_RETRY_SCHEDULE_MS: {
      type: 'string',
      // Each delay at most 86400000 (24 h): eight digits, or 86400000 itself.
      pattern:
        '^([0-7]?[0-9]{1,7}|8[0-5][0-9]{6}|86[0-3][0-9]{5}|86400000)(\\s*,\\s*([0-7]?[0-9]{1,7}|8[0-5][0-9]{6}|86[0-3][0-9]{5}|86400000))*$',
      errorMessage: 'comma-separated delays in ms, each 0..86400000',
    },
    WEBHOOK_TIMEOUT_MS: integer(100, 60000, 10000),
    WEBHOOK_CLAIM_IDLE_MS: integer(100, 3600000, 60000),
    WEBHOOK_DELIVERY_LOG_SIZE: integer(1, 1000, 50),
    WEBHOOK_MAX_SUBSCRIPTIONS: integer(1, 100000, 1000),

    SSE_KEEPALIVE_MS: integer(100, 300000, 15000),
    // Each stream holds one of HTTP_MAX_CONNECTIONS (checked below); what it costs: docs/security.md.
    SSE_MAX_STREAMS: integer(1, 1000000, 2000),

    FLAGD_EVALUATION_PORT: portOrOff(8013),
    FLAGD_SYNC_PORT: portOrOff(8015),
    // gRPC's usual receive limit: a larger sync document would be refused by the clients anyway.
    FLAGD_MAX_MESSAGE_BYTES: integer(65536, 67108864, 4194304),
    FLAGD_KEEPALIVE_MS: integer(100, 300000, FLAGD_KEEP_ALIVE_MS),
    // Per port; what one stream costs (with its connection) is measured in docs/security.md.
    FLAGD_MAX_EVENT_STREAMS: integer(1, 1000000, 5000),
    FLAGD_MAX_SYNC_STREAMS: integer(1, 1000000, 1000),
    FLAGD_IDLE_TIMEOUT_MS: integer(100, 86400000, 300000),

    EMULATOR_PORT: integer(0, 65535, 2773),
    EMULATOR_HOST: { type: 'string', minLength: 1, default: '127.0.0.1' },
    EMULATOR_FLAGS_DIR: { type: 'string', minLength: 1 },
    EMULATOR_POLL_INTERVAL_SECONDS: integer(1, 86400, 60),
  },
} as const;

type VariableName = keyof typeof ENV_SCHEMA.properties;
const NAMES = Object.keys(ENV_SCHEMA.properties) as VariableName[];
const BOOLEANS = new Set(
  NAMES.filter((name) => (ENV_SCHEMA.properties[name] as { type?: string }).type === 'boolean'),
);

const ajv = new Ajv({ allErrors: true, coerceTypes: true, useDefaults: true, strict: false });
const validate = ajv.compile(ENV_SCHEMA);

function describe(error: ErrorObject): string {
  const name = error.instancePath.replace(/^\//, '');
  const hint = (ENV_SCHEMA.properties as Record<string, { errorMessage?: string }>)[name]?.errorMessage;
  return `${name} ${hint ? `must be ${hint}` : (error.message ?? 'is invalid')}`;
}

/** Problems that involve more than one variable (`set`: the variables given, before defaults). */
function crossChecks(env: ServiceEnv, set: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  if (env.APPCONFIG_SOURCES && !env.AWS_REGION && !env.APPCONFIG_ENDPOINT) {
    problems.push('AWS_REGION is required with APPCONFIG_SOURCES unless APPCONFIG_ENDPOINT is set');
  }
  if ((env.TLS_CERT_FILE === undefined) !== (env.TLS_KEY_FILE === undefined)) {
    problems.push('TLS_CERT_FILE and TLS_KEY_FILE go together: set both (TLS on every port) or neither');
  }
  // The headers are part of the request (Node refuses a longer headers timeout).
  if (env.HTTP_HEADERS_TIMEOUT_MS > env.HTTP_REQUEST_TIMEOUT_MS) {
    problems.push('HTTP_HEADERS_TIMEOUT_MS must not exceed HTTP_REQUEST_TIMEOUT_MS');
  }
  // An SSE stream's only traffic may be its keep-alives: a shorter idle timeout would cut every stream.
  if (env.HTTP_IDLE_TIMEOUT_MS <= env.SSE_KEEPALIVE_MS) {
    problems.push('HTTP_IDLE_TIMEOUT_MS must exceed SSE_KEEPALIVE_MS');
  }
  // Every SSE stream holds a connection: streams alone must not take every connection from requests (checked
  // when set: the default applies whatever HTTP_MAX_CONNECTIONS is, and that cap then comes first).
  if (set.has('SSE_MAX_STREAMS') && env.SSE_MAX_STREAMS >= env.HTTP_MAX_CONNECTIONS) {
    problems.push('SSE_MAX_STREAMS must be below HTTP_MAX_CONNECTIONS');
  }
  return problems;
}

/**
 * Validates the known variables of `env` (others are ignored) and throws EnvInvalidError naming every problem
 * (never a value: a malformed URL may hold a password). Empty strings count as unset; booleans accept
 * true/false/1/0 in any case.
 */
export function parseEnv(env: NodeJS.ProcessEnv): ServiceEnv {
  const input: Record<string, string> = {};
  for (const name of NAMES) {
    const value = env[name]?.trim();
    if (value === undefined || value === '') continue;
    input[name] = BOOLEANS.has(name) ? ({ '1': 'true', '0': 'false' }[value] ?? value.toLowerCase()) : value;
  }
  const set = new Set(Object.keys(input));
  const problems = validate(input) ? [] : (validate.errors ?? []).map(describe);
  const parsed = input as unknown as ServiceEnv;
  if (problems.length === 0) problems.push(...crossChecks(parsed, set));
  if (problems.length > 0) throw new EnvInvalidError(problems);
  return parsed;
}
