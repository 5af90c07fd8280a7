import { resolve } from 'node:path';
import {
  DEFAULT_POLL_INTERVAL_SECONDS,
  MAX_POLL_INTERVAL_SECONDS,
  startAppConfigEmulator,
} from '@flagfleet/appconfig-emulator';

/** Reads a positive integer variable, failing start-up with a clear message on anything else. */
function integerEnv(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer in ${min}..${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

async function main(): Promise<void> {
  const log = (line: string): void =>
    void process.stdout.write(`${new Date().toISOString()} appconfig-emulator ${line}\n`);
  const flagsDir = process.env.EMULATOR_FLAGS_DIR ? resolve(process.env.EMULATOR_FLAGS_DIR) : undefined;
  const emulator = await startAppConfigEmulator({
    port: integerEnv('EMULATOR_PORT', 2773, 0, 65535),
    host: process.env.EMULATOR_HOST || '127.0.0.1',
    pollIntervalSeconds: integerEnv(
      'EMULATOR_POLL_INTERVAL_SECONDS',
      DEFAULT_POLL_INTERVAL_SECONDS,
      1,
      MAX_POLL_INTERVAL_SECONDS,
    ),
    flagsDir,
    logger: log,
  });
  const stop = (signal: string): void => {
    log(`${signal} received, closing`);
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `appconfig-emulator failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
