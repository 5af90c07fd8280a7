import { Inject, Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { PollerStatus } from '@flagfleet/appconfig-poller';
import { CONFIG_STORE, type ConfigStore } from '@flagfleet/config-store';
import { Clock } from '@flagfleet/core';
import { ServiceMetrics } from './service-metrics';

/**
 * Gauges of what /status shows, computed at scrape time: store health from its real operations, and per
 * source whether the fleet still polls it (an alert on these catches a stalled fleet that serves on).
 */
@Injectable()
export class HealthGauges {
  constructor(
    metrics: ServiceMetrics,
    status: PollerStatus,
    @Inject(CONFIG_STORE) store: ConfigStore,
    clock: Clock,
  ) {
    const registers = [metrics.registry];
    new Gauge({
      name: 'flagfleet_store_up',
      help: "1 while the config store's last real operation succeeded, 0 while it fails (Redis down or hung).",
      registers,
      collect() {
        this.set(store.health().connected ? 1 : 0);
      },
    });
    new Gauge({
      name: 'flagfleet_source_stale',
      help: "1 when the fleet's last successful poll of the source is older than two poll intervals.",
      labelNames: ['source'],
      registers,
      collect() {
        for (const source of status.sources()) this.set({ source: source.source }, source.stale ? 1 : 0);
      },
    });
    new Gauge({
      name: 'flagfleet_source_last_poll_age_seconds',
      help: "Seconds since the fleet's last successful poll of the source, as this replica last heard.",
      labelNames: ['source'],
      registers,
      collect() {
        const now = clock.now();
        for (const source of status.sources())
          if (source.fleetPolledAt !== null)
            this.set({ source: source.source }, (now - source.fleetPolledAt) / 1000);
      },
    });
    new Gauge({
      name: 'flagfleet_source_consecutive_failures',
      help: "This replica's consecutive failed polls or poll cycles (AppConfig or the store) of the source.",
      labelNames: ['source'],
      registers,
      collect() {
        for (const source of status.sources())
          this.set({ source: source.source }, source.consecutiveFailures);
      },
    });
  }
}
