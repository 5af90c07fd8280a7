import { Global, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Logger } from '@flagfleet/core';
import { ServiceMetrics } from './service-metrics';
import { ServiceLogger } from './service-logger';
import { PollerMetricsListener } from './poller-metrics.listener';
import { DeliveryMetricsListener } from './delivery-metrics.listener';

/** Buffered log lines are written out before the process exits. */
@Injectable()
class LogFlush implements OnApplicationShutdown {
  constructor(private readonly logger: Logger) {}

  onApplicationShutdown(): void {
    if (this.logger instanceof ServiceLogger) this.logger.flush();
  }
}

/**
 * Prometheus metrics, fed by the poller's and change delivery's events; global because every part writes to
 * ServiceMetrics. The gauges that read the poller and the store (HealthGauges) are the root module's.
 */
@Global()
@Module({
  providers: [ServiceMetrics, PollerMetricsListener, DeliveryMetricsListener, LogFlush],
  exports: [ServiceMetrics],
})
export class ObservabilityModule {}
