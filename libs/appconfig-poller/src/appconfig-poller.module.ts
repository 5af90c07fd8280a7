import { DynamicModule, Module } from '@nestjs/common';
import { CONFIG_STORE } from '@flagfleet/config-store';
import { AppConfigClient } from './appconfig-client';
import { AppConfigPoller } from './appconfig-poller';
import { BackupDir } from './backup-dir';
import { ConfigSnapshots } from './config-snapshots';
import { PollerClock } from './poller-clock';
import { PollerEvents } from './poller-events';
import { POLLER_OPTIONS, resolvePollerOptions, type PollerModuleOptions } from './poller-options';
import { PollerStatus } from './poller-status';
import { SnapshotLoader } from './snapshot-loader';

/**
 * Polls AppConfig for the configured sources and serves their snapshots. Needs
 * `EventEmitterModule.forRoot()` in the app. Global: ConfigSnapshots, PollerStatus and CONFIG_STORE
 * are injectable anywhere.
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
        { provide: CONFIG_STORE, useValue: resolved.store },
        PollerClock,
        PollerEvents,
        AppConfigClient,
        BackupDir,
        ConfigSnapshots,
        PollerStatus,
        SnapshotLoader,
        AppConfigPoller,
      ],
      exports: [CONFIG_STORE, ConfigSnapshots, PollerStatus, PollerClock],
    };
  }
}
