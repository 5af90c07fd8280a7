/** Structured fields of a log line (redaction is the implementation's job). */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * The one logger contract of flagfleet: a message, then optional structured fields. The service implements it
 * with pino (and Nest injects it by class); libs never create loggers of their own.
 */
export abstract class Logger {
  abstract debug(message: string, fields?: LogFields): void;
  abstract info(message: string, fields?: LogFields): void;
  abstract warn(message: string, fields?: LogFields): void;
  abstract error(message: string, fields?: LogFields): void;
  /** The same logger with `component` on every line. */
  abstract child(component: string): Logger;
}

/** Discards every line (tests and tools that do not care). */
export class SilentLogger extends Logger {
  debug(): void {}
  info(): void {}
  warn(): void {}
  error(): void {}
  child(): Logger {
    return this;
  }
}
