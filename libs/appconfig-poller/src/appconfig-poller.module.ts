import { type DynamicModule, type InjectionToken, Module, type Provider } from '@nestjs/common';
import { AppConfigClient } from './appconfig-client';
import { AppConfigPoller } from './appconfig-poller';
import { BackupDir } from './backup-dir';
import { PollerEvents } from './poller-events';
import { POLLER_OPTIONS, resolvePollerOptions, type PollerModuleOptions } from './poller-options';
import { PollerStatus } from './poller-status';
import { SnapshotLoader } from './snapshot-loader';

/**
 * Polls AppConfig for the configured sources and serves their snapshots: `AppConfigPollerModule.forRoot(options)`.
 * Needs `EventEmitterModule.forRoot()`, `ConfigStoreModule` (CONFIG_STORE) and `CoreModule` (Clock, Logger) and
 * `ServingModule` (SnapshotRegistry: the poller is one source writing into it) in the app. Not global: the module
 * that imports it (the app's root) injects PollerStatus and AppConfigPoller.
 */
@Module({})
export class AppConfigPollerModule {
  static forRoot(options: PollerModuleOptions): DynamicModule {
    const resolved = resolvePollerOptions(options);
    return AppConfigPollerModule.withOptions({ provide: POLLER_OPTIONS, useValue: resolved });
  }

  /**
   * The options from providers (`imports` provide what `inject` names): what to poll is known once another
   * provider has started (the app's embedded emulator), inside Nest rather than before it.
   */
  static forRootAsync(options: {
    readonly imports?: DynamicModule['imports'];
    readonly inject?: InjectionToken[];
    readonly useFactory: (...args: never[]) => PollerModuleOptions | Promise<PollerModuleOptions>;
  }): DynamicModule {
    const factory = options.useFactory as (...args: unknown[]) => Promise<PollerModuleOptions>;
    return {
      ...AppConfigPollerModule.withOptions({
        provide: POLLER_OPTIONS,
        inject: options.inject ?? [],
        useFactory: async (...args: unknown[]) => resolvePollerOptions(await factory(...args)),
      }),
      imports: options.imports ?? [],
    };
  }

  private static withOptions(optionsProvider: Provider): DynamicModule {
    return {
      module: AppConfigPollerModule,
      providers: [
        optionsProvider,
        PollerEvents,
        AppConfigClient,
        BackupDir,
        PollerStatus,
        SnapshotLoader,
        AppConfigPoller,
      ],
      exports: [PollerStatus, AppConfigPoller],
    };
  }
}
