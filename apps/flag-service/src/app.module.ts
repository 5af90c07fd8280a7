import { Module, type DynamicModule } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { TerminusModule } from '@nestjs/terminus';
import { AppConfigPollerModule } from '@flagfleet/appconfig-poller';
import { ChangeDeliveryModule } from '@flagfleet/change-delivery';
import { ConfigStoreModule } from '@flagfleet/config-store';
import { CoreModule, SystemClock } from '@flagfleet/core';
import { ServiceConfig, ServiceConfigModule } from './config';
import { ApiKeyGuard, AdminKeyGuard } from './auth';
import { OfrepController } from './controllers/ofrep.controller';
import { AgentController } from './controllers/agent.controller';
import { HealthController } from './controllers/health.controller';
import { StatusController } from './controllers/status.controller';
import { DocsController } from './controllers/docs.controller';
import { SnapshotResolver } from './services/snapshot-resolver.service';
import { OfrepEvaluationService } from './services/ofrep-evaluation.service';
import { AgentConfigurationService } from './services/agent-configuration.service';
import { Readiness } from './services/readiness.service';
import { ServiceStatus } from './services/service-status.service';
import { ObservabilityModule } from './observability/observability.module';
import type { ServiceLogger } from './observability/service-logger';
import { PolledSources, PolledSourcesShutdown } from './sources/polled-sources';
import { FolderSync } from './sources/folder-sync';
import { DeliveryHttpModule } from './delivery';
import { FlagdChangesListener, flagdProtocolModule } from './flagd';

/**
 * The flag service's composition root: every lib module gets its section of the one ServiceConfig.
 * `sources` is what the poller polls (in the embedded default the in-process emulator's URL, known only once
 * it listens); `logger` is the process's one Logger, made before Nest so that Nest logs through it too.
 */
@Module({
  controllers: [OfrepController, AgentController, HealthController, StatusController, DocsController],
  providers: [
    ApiKeyGuard,
    AdminKeyGuard,
    SnapshotResolver,
    OfrepEvaluationService,
    AgentConfigurationService,
    Readiness,
    ServiceStatus,
    PolledSourcesShutdown,
    FolderSync,
    FlagdChangesListener,
  ],
})
export class AppModule {
  static forRoot(config: ServiceConfig, sources: PolledSources, logger: ServiceLogger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceConfigModule.forRoot(config),
        CoreModule.forRoot({ clock: new SystemClock(), logger }),
        EventEmitterModule.forRoot(),
        TerminusModule.forRoot({ logger: false }),
        ObservabilityModule,
        ConfigStoreModule.forRoot(config.store),
        AppConfigPollerModule.forRoot({ ...config.poller, sources: sources.sources, client: sources.client }),
        ChangeDeliveryModule.forRoot(config.delivery),
        DeliveryHttpModule,
        flagdProtocolModule(),
      ],
      providers: [{ provide: PolledSources, useValue: sources }],
    };
  }
}
