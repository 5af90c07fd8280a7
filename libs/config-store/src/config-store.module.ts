import { type DynamicModule, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '@flagfleet/core';
import { CONFIG_STORE, type ConfigStore } from './config-store';
import { createConfigStore } from './create-config-store';

/** `ConfigStoreModule.forRoot(options)`: the `store` section of the service's configuration. */
export interface ConfigStoreOptions {
  /** REDIS_URL; unset means the memory store (one replica). */
  readonly redisUrl?: string;
  /** REDIS_KEY_PREFIX; default `flagfleet:`. */
  readonly keyPrefix?: string;
  /** DOCUMENT_MAX_BYTES: bound on a stored document once decompressed. */
  readonly maxDocumentBytes?: number;
}

/** Closes the store last: onApplicationShutdown runs after every module's onModuleDestroy (leases released). */
@Injectable()
class ConfigStoreShutdown implements OnApplicationShutdown {
  constructor(@Inject(CONFIG_STORE) private readonly store: ConfigStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

/**
 * The process's ConfigStore under CONFIG_STORE, injectable everywhere (global): Redis when a URL is given,
 * memory otherwise. Needs the Clock of `CoreModule`.
 */
@Module({})
export class ConfigStoreModule {
  static forRoot(options: ConfigStoreOptions): DynamicModule {
    return {
      module: ConfigStoreModule,
      global: true,
      providers: [
        {
          provide: CONFIG_STORE,
          inject: [Clock],
          useFactory: (clock: Clock): ConfigStore => createConfigStore({ ...options, clock }),
        },
        ConfigStoreShutdown,
      ],
      exports: [CONFIG_STORE],
    };
  }

  /** A store the caller made and closes (tests modelling several replicas on one shared state). */
  static forStore(store: ConfigStore): DynamicModule {
    return {
      module: ConfigStoreModule,
      global: true,
      providers: [{ provide: CONFIG_STORE, useValue: store }],
      exports: [CONFIG_STORE],
    };
  }
}
