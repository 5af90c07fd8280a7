import 'reflect-metadata';
import { ConfigSnapshots, PollerStatus } from '@flagfleet/appconfig-poller';
import { configOrExit, ServiceConfig } from './config';
import { createFlagService } from './create-flag-service';
import { startupBanner } from './startup-banner';

async function main(): Promise<void> {
  const config = configOrExit('flagfleet', () => ServiceConfig.fromEnv(process.env));
  const app = await createFlagService(config);
  // Shutdown must end even if a connection or hook hangs: Nest's hooks run first, this is the backstop.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => setTimeout(() => process.exit(1), config.http.shutdownTimeoutMs).unref());
  }
  await app.listen(config.http.port, config.http.host);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;
  // The example in the banner names a real flag: give the first load a moment (it never blocks serving).
  await app.get(PollerStatus).whenReady(5000);
  const snapshots = app.get(ConfigSnapshots);
  const exampleFlag = snapshots.get(snapshots.defaultSource)?.flags?.keys[0];
  process.stderr.write(startupBanner(config, port, exampleFlag));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `flagfleet: failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
