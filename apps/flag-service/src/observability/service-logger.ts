import type { LoggerService } from '@nestjs/common';
import { Logger, redactUrl } from '@flagfleet/core';
import pino, { type DestinationStream, type Logger as PinoLogger, type LoggerOptions } from 'pino';

/** Paths pino blanks in every line: credentials must never reach a log. */
export const REDACTED_PATHS = [
  'authorization',
  'headers.authorization',
  'headers["x-api-key"]',
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  '*.password',
  '*.secret',
  '*.apiKey',
  '*.apiKeys',
  '*.adminApiKeys',
  '*.redisUrl',
];

/** Fields that hold URLs (request lines, endpoints, targets) or error texts, which may quote one. */
const URL_FIELDS = ['url', 'endpoint', 'target', 'href', 'location', 'error'];

const redactText = (value: unknown): unknown => (typeof value === 'string' ? redactUrl(value) : value);

/**
 * Credentials in URLs never reach a line (issue 26): every URL field, every message (and its format
 * arguments) and every error's message and stack go through redactUrl — userinfo passwords and the values
 * of credential parameters (`api_key`, `token`, `sig`, …: core's isSecretParameter) become `***`.
 */
const URL_REDACTION: Pick<LoggerOptions, 'serializers' | 'hooks'> = {
  serializers: {
    ...Object.fromEntries(URL_FIELDS.map((field) => [field, redactText])),
    err: (error: Error) => {
      const serialized = pino.stdSerializers.err(error);
      serialized.message = redactUrl(serialized.message);
      if (serialized.stack) serialized.stack = redactUrl(serialized.stack);
      return serialized;
    },
  },
  hooks: {
    logMethod(args, method) {
      method.apply(this, args.map(redactText) as Parameters<typeof method>);
    },
  },
};

const FRAMEWORK_CONTEXTS = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestApplication',
]);

/**
 * The process's one Logger (pino, JSON lines): what every lib and the app log through (`Logger` of
 * @flagfleet/core, `logger.warn('message', {fields})`), and Nest's logger too, so framework lines come out as
 * JSON. Nest calls `log(message, context)`; both conventions work.
 */
export class ServiceLogger extends Logger implements LoggerService {
  readonly pino: PinoLogger;

  constructor(level: string, destination?: DestinationStream, parent?: PinoLogger) {
    super();
    this.pino =
      parent ??
      pino(
        {
          level,
          base: { service: 'flagfleet', pid: process.pid },
          redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
          ...URL_REDACTION,
        },
        destination ?? pino.destination({ sync: false }),
      );
  }

  child(component: string): ServiceLogger {
    return new ServiceLogger(this.pino.level, undefined, this.pino.child({ component }));
  }

  info(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  log(message: unknown, ...rest: unknown[]): void {
    // Nest's start-up chatter (one line per module and route) is debug detail, not operations news.
    const context = rest[rest.length - 1];
    this.write(
      typeof context === 'string' && FRAMEWORK_CONTEXTS.has(context) ? 'debug' : 'info',
      message,
      rest,
    );
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }

  /** Flushes buffered lines (at shutdown). */
  flush(): void {
    this.pino.flush();
  }

  private write(
    level: 'info' | 'fatal' | 'debug' | 'trace' | 'warn' | 'error',
    first: unknown,
    rest: unknown[],
  ): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const [second] = rest;
    if (first instanceof Error) {
      this.pino[level]({ err: first, context: rest.find((item) => typeof item === 'string') }, first.message);
    } else if (typeof second === 'object' && second !== null) {
      // Ours: (message, fields).
      this.pino[level](second, String(first));
    } else {
      // Nest's convention: the last string argument is the context (the class that logs).
      const context = typeof rest[rest.length - 1] === 'string' ? rest[rest.length - 1] : undefined;
      this.pino[level]({ context }, String(first));
    }
  }
}
