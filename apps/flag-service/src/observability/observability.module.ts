import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ServiceMetrics } from './service-metrics';
import { ServiceLogger } from './service-logger';
import { PollerMetricsListener } from './poller-metrics.listener';

/** Metrics and the logger, injectable everywhere (change delivery counts deliveries). */
@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(logger: ServiceLogger): DynamicModule {
    return {
      module: ObservabilityModule,
      providers: [{ provide: ServiceLogger, useValue: logger }, ServiceMetrics, PollerMetricsListener],
      exports: [ServiceLogger, ServiceMetrics],
    };
  }
}
