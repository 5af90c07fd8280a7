import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { type ChangeDelivery, CHANGE_DELIVERY } from '@flagfleet/change-delivery';
import { ChangeFeed, SnapshotRegistry } from '@flagfleet/serving';
import { toFlagChange } from './to-flag-change';

/**
 * Webhooks hear every change from the change feed, in order, unmerged (each is one delivery): revisions
 * (the notifier queues them only where publishedHere, and keeps its own bounded memory of them), sources
 * removed, and sources added at run time (told at their first load here, before its revision: a source
 * back with the content it had is no new revision, yet it is served again).
 */
@Injectable()
export class FlagsChangedListener implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly stops: (() => void)[] = [];
  /** Sources that appeared after start-up and have not loaded yet. */
  private readonly appeared = new Set<string>();

  constructor(
    @Inject(CHANGE_DELIVERY) private readonly delivery: ChangeDelivery,
    private readonly feed: ChangeFeed,
    private readonly registry: SnapshotRegistry,
  ) {}

  onModuleInit(): void {
    this.stops.push(
      this.feed.listen(null, (change) => {
        if (change.kind === 'removed') this.appeared.delete(change.source);
        else if (this.appeared.delete(change.source))
          void this.delivery.notify(toFlagChange(change, 'added'));
        void this.delivery.notify(toFlagChange(change));
      }),
    );
  }

  /** Sources added from now on are run-time additions (those configured were added at start-up). */
  onApplicationBootstrap(): void {
    this.stops.push(
      this.registry.listen((event) => {
        if (event.kind === 'source-added') this.appeared.add(event.source);
      }),
    );
  }

  onModuleDestroy(): void {
    for (const stop of this.stops.splice(0)) stop();
  }
}
