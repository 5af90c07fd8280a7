import { EmulatorError, startAppConfigEmulator } from '@flagfleet/appconfig-emulator';
// The one environment schema of flagfleet lives with the service; the emulator reads its EMULATOR_* part
// (these two files only, so the emulator does not load the service).
import { configOrExit } from '../../flag-service/src/config/config-or-exit';
import { emulatorConfigFromEnv } from '../../flag-service/src/config/emulator-config';

async function main(): Promise<void> {
  const config = configOrExit('appconfig-emulator', () => emulatorConfigFromEnv(process.env));
  const log = (line: string): void =>
    void process.stdout.write(`${new Date().toISOString()} appconfig-emulator ${line}\n`);
  const emulator = await startAppConfigEmulator({ ...config, logger: log });
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
  // A coded error names its code, the line docs/errors.md is searched by.
  const code = error instanceof EmulatorError ? ` (${error.code})` : '';
  process.stderr.write(
    `appconfig-emulator failed to start: ${error instanceof Error ? error.message : String(error)}${code}\n`,
  );
  process.exit(1);
});
