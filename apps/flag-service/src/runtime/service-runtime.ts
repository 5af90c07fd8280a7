import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { RunningEmulator } from '@flagfleet/appconfig-emulator';
import type { AppConfigSource } from '@flagfleet/appconfig-poller';
import { createConfigStore, type ConfigStore } from '@flagfleet/config-store';
import { ServiceConfig } from '../config';
import { ServiceLogger } from '../observability/service-logger';
import { embeddedSources, startEmbeddedEmulator } from './embedded-sources';

/**
 * What the process needs before Nest modules can be built: the store, the sources to poll and,
 * in the embedded default, the in-process emulator. Closed last, after the poller released its leases.
 */
export class ServiceRuntime {
  private constructor(
    readonly config: ServiceConfig,
    readonly logger: ServiceLogger,
    readonly store: ConfigStore,
    readonly sources: AppConfigSource[],
    readonly endpoint: string | undefined,
    readonly emulator: RunningEmulator | undefined,
  ) {}

  static async start(config: ServiceConfig, logger: ServiceLogger): Promise<ServiceRuntime> {
    let sources: AppConfigSource[];
    let emulator: RunningEmulator | undefined;
    if (config.sources) {
      sources = config.sources.map((source) => ({ ...source }));
    } else {
      sources = await embeddedSources(config.flagsDir);
      emulator = await startEmbeddedEmulator(config.flagsDir, config.embeddedPollIntervalSeconds, (line) =>
        logger.pino.debug({ component: 'emulator' }, line),
      );
    }
    const store = createConfigStore({ redisUrl: config.redisUrl, keyPrefix: config.redisKeyPrefix });
    return new ServiceRuntime(
      config,
      logger,
      store,
      sources,
      emulator?.url ?? config.appconfigEndpoint,
      emulator,
    );
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.store.close(), this.emulator?.close()]);
  }
}

/** Nest hook that closes the runtime when the application shuts down (after every onModuleDestroy). */
@Injectable()
export class ServiceRuntimeShutdown implements OnApplicationShutdown {
  constructor(private readonly runtime: ServiceRuntime) {}

  async onApplicationShutdown(): Promise<void> {
    await this.runtime.close();
    this.runtime.logger.flush();
  }
}
