import { Injectable, type OnApplicationShutdown, type OnModuleDestroy } from '@nestjs/common';
import { Logger } from '@flagfleet/core';
import { Readiness } from '../services/readiness.service';
import { FolderSync } from '../sources/folder-sync';
import { PolledSources } from '../sources/polled-sources';

interface Step {
  readonly name: string;
  readonly run: () => void | Promise<void>;
}

/**
 * The service's shutdown order, declared here once instead of in each part's hook. Nest's `close()` runs
 * onModuleDestroy, then beforeApplicationShutdown, then closes the HTTP server, then onApplicationShutdown;
 * within a phase module by module, the root module (AppModule, which provides this, first of its providers)
 * first and the global ones last. So the steps below open their phase and the libs' own hooks follow:
 *
 * 1. module destroy — this: readiness drains (`/health/ready` and OFREP answer 503, so the balancer stops
 *    sending), FLAGS_DIR is no longer followed (no source added or removed while closing); then the
 *    change-feed listeners unsubscribe and the poller stops and releases its leases (global, last).
 * 2. before shutdown — the SSE streams end (DeliveryHttpModule); the flagd listeners send
 *    provider_shutdown, end their streams and close (FlagdServers). Then the HTTP server closes.
 * 3. application shutdown — this: the embedded emulator closes (the poller no longer calls it); then the
 *    webhook workers stop, the AppConfig client and the store close, and the log is flushed (global modules).
 *
 * Each step is logged at debug (`shutdown: <step>`); apps/flag-service/test/shutdown-order.spec.ts holds the
 * order, the libs' hooks included.
 */
@Injectable()
export class ShutdownOrder implements OnModuleDestroy, OnApplicationShutdown {
  private readonly logger: Logger;
  private readonly before: readonly Step[];
  private readonly after: readonly Step[];

  constructor(readiness: Readiness, folder: FolderSync, sources: PolledSources, logger: Logger) {
    this.logger = logger.child('shutdown');
    this.before = [
      { name: 'readiness drains', run: () => readiness.drain() },
      { name: 'FLAGS_DIR no longer followed', run: () => folder.stop() },
    ];
    this.after = [{ name: 'embedded emulator closed', run: () => sources.close() }];
  }

  onModuleDestroy(): Promise<void> {
    return this.run(this.before);
  }

  onApplicationShutdown(): Promise<void> {
    return this.run(this.after);
  }

  private async run(steps: readonly Step[]): Promise<void> {
    // The module's other hooks start at this one's first await: the first step (synchronous) precedes them.
    for (const step of steps) {
      this.logger.debug(`shutdown: ${step.name}`);
      await step.run();
    }
  }
}
