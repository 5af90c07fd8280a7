import type { LoggerService } from '@nestjs/common';
import pino, { type DestinationStream, type Logger } from 'pino';

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

const FRAMEWORK_CONTEXTS = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestApplication',
]);

/**
 * Structured JSON logs (pino) for the whole process; also Nest's logger (`app.useLogger`), so framework
 * lines come out as JSON too.
 */
export class ServiceLogger implements LoggerService {
  readonly pino: Logger;

  constructor(level: string, destination?: DestinationStream) {
    this.pino = pino(
      {
        level,
        base: { service: 'flagfleet', pid: process.pid },
        redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      },
      destination ?? pino.destination({ sync: false }),
    );
  }

  /** `info({fields}, 'message')` from our code, `info('message', 'Context')` from Nest: both work. */
  info(fieldsOrMessage: unknown, ...rest: unknown[]): void {
    this.write('info', fieldsOrMessage, rest);
  }
  warn(fieldsOrMessage: unknown, ...rest: unknown[]): void {
    this.write('warn', fieldsOrMessage, rest);
  }
  error(fieldsOrMessage: unknown, ...rest: unknown[]): void {
    this.write('error', fieldsOrMessage, rest);
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
    if (first instanceof Error) {
      this.pino[level]({ err: first, context: rest.find((item) => typeof item === 'string') }, first.message);
    } else if (typeof first === 'object' && first !== null) {
      this.pino[level](first, typeof rest[0] === 'string' ? rest[0] : 'event');
    } else {
      // Nest's convention: the last string argument is the context (the class that logs).
      const context = typeof rest[rest.length - 1] === 'string' ? rest[rest.length - 1] : undefined;
      this.pino[level]({ context }, String(first));
    }
  }
}
