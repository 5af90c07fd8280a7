import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { TerminusModule } from '@nestjs/terminus';
import { AppConfigPollerModule } from '@flagfleet/appconfig-poller';
import { ServingModule } from '@flagfleet/serving';
import { ConfigStoreModule } from '@flagfleet/config-store';
import { CoreModule, SystemClock } from '@flagfleet/core';
import { ServiceConfig, ServiceConfigModule } from './config';
import { ApiKeyGuard, AdminKeyGuard, StreamKeyGuard } from './auth';
import { AgentController } from './controllers/agent.controller';
import { HealthController } from './controllers/health.controller';
import { StatusController } from './controllers/status.controller';
import { DocsController } from './controllers/docs.controller';
import { OfrepEvaluationService } from './services/ofrep-evaluation.service';
import { AgentConfigurationService } from './services/agent-configuration.service';
import { Readiness } from './services/readiness.service';
import { ServiceStatus } from './services/service-status.service';
import { ObservabilityModule } from './observability/observability.module';
import { ServiceMetrics } from './observability/service-metrics';
import { HealthGauges } from './observability/health-gauges';
import { ServiceLogger } from './observability/service-logger';
import { HttpErrorFilter } from './http/http-error.filter';
import { HttpPipeline } from './http/http-pipeline';
import { PolledSources } from './sources/polled-sources';
import { SourcesModule } from './sources/sources.module';
import { ShutdownOrder } from './bootstrap/shutdown-order';
import { CertificateReload } from './tls/certificate-reload';
import { FolderSync } from './sources/folder-sync';
import { DeliveryHttpModule } from './delivery';
import { FlagdChangesListener, flagdProtocolModule } from './flagd';
import { SourceChangesPublisher } from './changes/source-changes.publisher';

/**
 * The flag service's composition root: every lib module gets its section of the one ServiceConfig.
 * What the poller polls is a provider (SourcesModule: in the embedded default the in-process emulator starts
 * there) handed to the poller's options; `logger` is the process's one Logger, made before Nest so that Nest
 * logs through it too. Filters, HTTP hooks and the shutdown order are providers here.
 *
 * Global only where every part reads it: Clock and Logger (CoreModule), the config (ServiceConfigModule), the
 * metrics (ObservabilityModule), the seam (ServingModule) and the one store the poller and /status share
 * (ConfigStoreModule). The poller is imported here, its only user; change delivery by DeliveryHttpModule.
 */
@Module({
  controllers: [AgentController, HealthController, StatusController, DocsController],
  providers: [
    // First: its shutdown steps open each phase (bootstrap/shutdown-order.ts).
    ShutdownOrder,
    CertificateReload,
    ApiKeyGuard,
    AdminKeyGuard,
    StreamKeyGuard,
    OfrepEvaluationService,
    AgentConfigurationService,
    Readiness,
    ServiceStatus,
    FolderSync,
    FlagdChangesListener,
    SourceChangesPublisher,
    HttpPipeline,
    // Here, not in the global ObservabilityModule: they read the poller (imported here) and the store.
    HealthGauges,
    // Every error answer of every route, Fastify's own refusals included (the Nest router hands them on).
    { provide: APP_FILTER, useClass: HttpErrorFilter },
  ],
})
export class AppModule {
  static forRoot(config: ServiceConfig, logger: ServiceLogger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceConfigModule.forRoot(config),
        CoreModule.forRoot({ clock: new SystemClock(), logger }),
        EventEmitterModule.forRoot(),
        TerminusModule.forRoot({ logger: false }),
        ObservabilityModule,
        ConfigStoreModule.forRoot(config.store),
        ServingModule.forRoot({ metrics: ServiceMetrics }),
        SourcesModule,
        AppConfigPollerModule.forRootAsync({
          imports: [SourcesModule],
          inject: [PolledSources],
          useFactory: (sources: PolledSources) => ({
            ...config.poller,
            sources: sources.sources,
            client: sources.client,
          }),
        }),
        DeliveryHttpModule.forRoot(config.delivery),
        flagdProtocolModule(),
      ],
      providers: [{ provide: ServiceLogger, useValue: logger }],
    };
  }
}
