import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { PollerStatus } from '@flagfleet/appconfig-poller';
import { SnapshotRegistry } from '@flagfleet/serving';
import { parseSourceKey } from '@flagfleet/config-store';
import { configOrExit, ServiceConfig } from './config';
import { createFlagService } from './create-flag-service';
import { type BannerExample, startupBanner } from './startup-banner';

async function main(): Promise<void> {
  const config = configOrExit('flagfleet', () => ServiceConfig.fromEnv(process.env));
  const app = await createFlagService(config);
  const log = new Logger('shutdown');
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      // Shutdown must end even if a connection or hook hangs: the drain below first, this is the backstop.
      setTimeout(() => {
        log.error(`not drained within ${config.http.shutdownTimeoutMs} ms: exiting 1`);
        process.exit(1);
      }, config.http.shutdownTimeoutMs).unref();
      log.log(`${signal} received: draining`);
      const started = Date.now();
      // A clean drain is a normal end (exit 0), not death by signal (143): supervisors count restarts by it.
      app.close().then(
        () => {
          log.log(`stopped cleanly in ${Date.now() - started} ms`);
          process.exit(0);
        },
        (error: unknown) => {
          log.error(`shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
          process.exit(1);
        },
      );
    });
  }
  await app.listen(config.http.port, config.http.host);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;
  // The example in the banner names a real flag: give the first load a moment (it never blocks serving).
  await app.get(PollerStatus).whenReady(5000);
  process.stderr.write(startupBanner(config, port, bannerExample(app.get(SnapshotRegistry))));
}

/** A source that is served (the default when it is), so the examples answer 200 rather than 404. */
function bannerExample(snapshots: SnapshotRegistry): BannerExample | undefined {
  const served = [snapshots.get(snapshots.defaultSource), ...snapshots.all()].find((snapshot) => snapshot);
  const source = served?.source ?? snapshots.sources()[0];
  return source === undefined ? undefined : { source: parseSourceKey(source), flag: served?.flags?.keys[0] };
}

main().catch((error: unknown) => {
  process.stderr.write(
    `flagfleet: failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
