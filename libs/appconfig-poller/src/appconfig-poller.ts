import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { CONFIG_STORE, sourceKey, type ConfigStore, type SourceKey } from '@flagfleet/config-store';
import { AppConfigClient } from './appconfig-client';
import { Clock, Logger } from '@flagfleet/core';
import { PollerEvents } from './poller-events';
import { POLLER_OPTIONS, type ResolvedPollerOptions } from './poller-options';
import { PollerStatus } from './poller-status';
import { SnapshotLoader } from './snapshot-loader';
import { SnapshotRegistry } from '@flagfleet/serving';
import type { AppConfigSource } from './poller-options';
import { SourcePoller, type SourcePollerDeps } from './source-poller';

/**
 * The poller's lifecycle: at init, follow the store's revisions and load what the store (or the backup)
 * already holds — a cold replica serves without calling AppConfig; at bootstrap, start one SourcePoller
 * per source; at shutdown, stop them (leases released) before the SDK client is destroyed.
 */
@Injectable()
export class AppConfigPoller implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger: Logger;
  private readonly pollers = new Map<SourceKey, SourcePoller>();
  private readonly deps: SourcePollerDeps;
  private unsubscribe: (() => void) | undefined;
  private started = false;

  constructor(
    @Inject(POLLER_OPTIONS) private readonly options: ResolvedPollerOptions,
    @Inject(CONFIG_STORE) private readonly store: ConfigStore,
    private readonly loader: SnapshotLoader,
    private readonly snapshots: SnapshotRegistry,
    client: AppConfigClient,
    clock: Clock,
    status: PollerStatus,
    events: PollerEvents,
    logger: Logger,
  ) {
    this.logger = logger.child('poller');
    this.deps = { options, store, client, clock, logger, loader, status, events, snapshots };
    // The configured sources are registered before anything is served: the first is the default source.
    for (const source of options.sources) snapshots.add(source.key);
    for (const source of options.sources) this.pollers.set(source.key, new SourcePoller(source, this.deps));
  }

  async onModuleInit(): Promise<void> {
    // Subscribe first, so a revision published while the initial documents load is not missed.
    this.unsubscribe = this.store.onRevision((source, revision) => {
      if (!this.pollers.has(source)) return;
      this.loader
        .onRevision(source, revision)
        .catch((error: Error) =>
          this.logger.error(`loading revision ${revision} of ${source} failed: ${error.message}`),
        );
    });
    await Promise.all(this.options.sources.map((source) => this.loader.loadInitial(source.key)));
  }

  onApplicationBootstrap(): void {
    this.started = true;
    for (const poller of this.pollers.values()) poller.start();
  }

  async onModuleDestroy(): Promise<void> {
    this.unsubscribe?.();
    this.started = false;
    await Promise.all([...this.pollers.values()].map((poller) => poller.stop()));
    await this.loader.drain();
  }

  /** The keys of the sources polled now. */
  sourceKeys(): SourceKey[] {
    return [...this.pollers.keys()];
  }

  /** Starts serving and polling another source at run time (the embedded folder got a new file). */
  async addSource(source: AppConfigSource): Promise<void> {
    const key = sourceKey(source.application, source.environment, source.profile);
    if (this.pollers.has(key)) return;
    const poller = new SourcePoller({ ...source, key }, this.deps);
    this.pollers.set(key, poller);
    this.snapshots.add(key);
    await this.loader.loadInitial(key);
    if (this.started && this.pollers.get(key) === poller) poller.start();
  }

  /** Stops polling and serving a source (its file was removed); its lease is released. */
  async removeSource(key: SourceKey): Promise<void> {
    const poller = this.pollers.get(key);
    if (!poller) return;
    this.pollers.delete(key);
    this.snapshots.remove(key);
    this.deps.status.forget(key);
    await poller.stop();
  }
}
