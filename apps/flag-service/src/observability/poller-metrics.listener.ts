import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import {
  PollerEvent,
  type ConfigRejectedEvent,
  type FlagsChangedEvent,
  type PollerErrorEvent,
  type PollerRecoveredEvent,
} from '@flagfleet/appconfig-poller';
import { metricLabel } from './metric-labels';
import { ServiceMetrics } from './service-metrics';
import { Logger } from '@flagfleet/core';

/** Turns poller events into metrics, and changes and rejections into structured log lines. */
@Injectable()
export class PollerMetricsListener {
  constructor(
    private readonly metrics: ServiceMetrics,
    private readonly logger: Logger,
  ) {}

  @OnEvent(PollerEvent.FLAGS_CHANGED)
  changed(event: FlagsChangedEvent): void {
    this.metrics.pollerEvents.inc({ source: event.source, event: metricLabel(PollerEvent.FLAGS_CHANGED) });
    this.logger.info('flags changed', {
      source: event.source,
      revision: event.revision,
      versionLabel: event.versionLabel,
      added: event.added,
      removed: event.removed,
      changed: event.changed,
    });
  }

  @OnEvent(PollerEvent.CONFIG_REJECTED)
  rejected(event: ConfigRejectedEvent): void {
    this.metrics.pollerEvents.inc({ source: event.source, event: metricLabel(PollerEvent.CONFIG_REJECTED) });
    this.logger.warn('configuration rejected; serving the last good one', {
      source: event.source,
      versionLabel: event.versionLabel,
      problems: event.problems,
    });
  }

  @OnEvent(PollerEvent.POLLER_ERROR)
  failed(event: PollerErrorEvent): void {
    // The poller logs failures and recoveries itself: count only.
    this.metrics.pollerEvents.inc({ source: event.source, event: metricLabel(PollerEvent.POLLER_ERROR) });
  }

  @OnEvent(PollerEvent.POLLER_RECOVERED)
  recovered(event: PollerRecoveredEvent): void {
    this.metrics.pollerEvents.inc({ source: event.source, event: metricLabel(PollerEvent.POLLER_RECOVERED) });
  }
}
