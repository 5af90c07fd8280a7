import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { AppConfigClientOptions, AppConfigSource } from '@flagfleet/appconfig-poller';
import type { Logger } from '@flagfleet/core';
import type { SourcesConfig } from '../config';
import { embeddedSources, startEmbeddedEmulator } from './embedded-sources';

/**
 * What the poller polls and how it reaches it, known before Nest builds the modules: AppConfig's sources as
 * configured, or, in the embedded default, the profiles of the folder served by an in-process emulator on an
 * ephemeral loopback port (closed last, after the poller released its leases).
 */
export class PolledSources {
  private constructor(
    readonly sources: AppConfigSource[],
    readonly client: AppConfigClientOptions,
    readonly close: () => Promise<void>,
  ) {}

  static async open(config: SourcesConfig, logger: Logger): Promise<PolledSources> {
    if (config.mode === 'appconfig') {
      const sources = config.list.map((source) => ({ ...source }));
      return new PolledSources(sources, { endpoint: config.endpoint, region: config.region }, async () => {});
    }
    const sources = await embeddedSources(config.flagsDir);
    const log = logger.child('emulator');
    const emulator = await startEmbeddedEmulator(config.flagsDir, config.pollIntervalSeconds, (line) =>
      log.debug(line),
    );
    return new PolledSources(
      sources,
      {
        endpoint: emulator.url,
        region: 'us-east-1',
        // The emulator accepts any signature; real AppConfig uses the SDK's credential chain.
        credentials: { accessKeyId: 'flagfleet', secretAccessKey: 'embedded' },
      },
      () => emulator.close(),
    );
  }
}

/** Closes the embedded emulator when the application shuts down (after every onModuleDestroy). */
@Injectable()
export class PolledSourcesShutdown implements OnApplicationShutdown {
  constructor(private readonly sources: PolledSources) {}

  async onApplicationShutdown(): Promise<void> {
    await this.sources.close();
  }
}
