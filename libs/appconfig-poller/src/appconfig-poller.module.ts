import { DynamicModule, Module } from '@nestjs/common';
import { AppConfigClient } from './appconfig-client';
import { AppConfigPoller } from './appconfig-poller';
import { BackupDir } from './backup-dir';
import { ConfigSnapshots } from './config-snapshots';
import { PollerEvents } from './poller-events';
import { POLLER_OPTIONS, resolvePollerOptions, type PollerModuleOptions } from './poller-options';
import { PollerStatus } from './poller-status';
import { SnapshotLoader } from './snapshot-loader';

/**
 * Polls AppConfig for the configured sources and serves their snapshots: `AppConfigPollerModule.forRoot(options)`.
 * Needs `EventEmitterModule.forRoot()`, `ConfigStoreModule` (CONFIG_STORE) and `CoreModule` (Clock, Logger) in
 * the app. Global: ConfigSnapshots and PollerStatus are injectable anywhere.
 */
@Module({})
export class AppConfigPollerModule {
  static forRoot(options: PollerModuleOptions): DynamicModule {
    const resolved = resolvePollerOptions(options);
    return {
      module: AppConfigPollerModule,
      global: true,
      providers: [
        { provide: POLLER_OPTIONS, useValue: resolved },
        PollerEvents,
        AppConfigClient,
        BackupDir,
        ConfigSnapshots,
        PollerStatus,
        SnapshotLoader,
        AppConfigPoller,
      ],
      exports: [ConfigSnapshots, PollerStatus, AppConfigPoller],
    };
  }
}
