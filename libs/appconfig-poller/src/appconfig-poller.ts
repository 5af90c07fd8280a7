import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
  OnModuleInit,
} from '@nestjs/common';
import { CONFIG_STORE, type ConfigStore } from '@flagfleet/config-store';
import { AppConfigClient } from './appconfig-client';
import { Clock } from '@flagfleet/core';
import { PollerEvents } from './poller-events';
import { POLLER_OPTIONS, type ResolvedPollerOptions } from './poller-options';
import { PollerStatus } from './poller-status';
import { SnapshotLoader } from './snapshot-loader';
import { SourcePoller } from './source-poller';

/**
 * The poller's lifecycle: at init, follow the store's revisions and load what the store (or the backup)
 * already holds — a cold replica serves without calling AppConfig; at bootstrap, start one SourcePoller
 * per source; at shutdown, stop them (leases released) before the SDK client is destroyed.
 */
@Injectable()
export class AppConfigPoller implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(AppConfigPoller.name);
  private readonly pollers: SourcePoller[];
  private unsubscribe: (() => void) | undefined;

  constructor(
    @Inject(POLLER_OPTIONS) private readonly options: ResolvedPollerOptions,
    @Inject(CONFIG_STORE) private readonly store: ConfigStore,
    private readonly loader: SnapshotLoader,
    client: AppConfigClient,
    clock: Clock,
    status: PollerStatus,
    events: PollerEvents,
  ) {
    const deps = { options, store, client, clock, loader, status, events };
    this.pollers = options.sources.map((source) => new SourcePoller(source, deps));
  }

  async onModuleInit(): Promise<void> {
    // Subscribe first, so a revision published while the initial documents load is not missed.
    this.unsubscribe = this.store.onRevision((source, revision) => {
      if (!this.options.sources.some((known) => known.key === source)) return;
      this.loader
        .onRevision(source, revision)
        .catch((error: Error) =>
          this.logger.error(`loading revision ${revision} of ${source} failed: ${error.message}`),
        );
    });
    await Promise.all(this.options.sources.map((source) => this.loader.loadInitial(source.key)));
  }

  onApplicationBootstrap(): void {
    for (const poller of this.pollers) poller.start();
  }

  async onModuleDestroy(): Promise<void> {
    this.unsubscribe?.();
    await Promise.all(this.pollers.map((poller) => poller.stop()));
    await this.loader.drain();
  }
}
