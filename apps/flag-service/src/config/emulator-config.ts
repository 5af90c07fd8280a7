import { resolve } from 'node:path';
import { parseEnv } from './env';

/** The standalone emulator's settings (`npm run start:emulator`), from the EMULATOR_* part of the one schema. */
export interface EmulatorConfig {
  readonly port: number;
  readonly host: string;
  /** Folder mode: serve this folder's `<profile>.json` files; unset: start empty (admin API only). */
  readonly flagsDir: string | undefined;
  readonly pollIntervalSeconds: number;
}

/** Throws EnvInvalidError listing every problem; the service's own variables are not looked at. */
export function emulatorConfigFromEnv(env: NodeJS.ProcessEnv = process.env): EmulatorConfig {
  const own = Object.fromEntries(Object.entries(env).filter(([name]) => name.startsWith('EMULATOR_')));
  const parsed = parseEnv(own);
  return {
    port: parsed.EMULATOR_PORT,
    host: parsed.EMULATOR_HOST,
    flagsDir: parsed.EMULATOR_FLAGS_DIR ? resolve(parsed.EMULATOR_FLAGS_DIR) : undefined,
    pollIntervalSeconds: parsed.EMULATOR_POLL_INTERVAL_SECONDS,
  };
}
