import { Module, type DynamicModule } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { TerminusModule } from '@nestjs/terminus';
import { AppConfigPollerModule } from '@flagfleet/appconfig-poller';
import { ServiceConfigModule } from './config';
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
import { ServiceRuntime, ServiceRuntimeShutdown } from './runtime/service-runtime';
import { DeliveryHttpModule } from './delivery';

/**
 * The flag service. Built with `AppModule.forRoot(runtime)` because the poller needs the store and the
 * sources (and, embedded, the emulator's URL) before Nest resolves anything. Feature modules that need
 * nothing from the runtime (e.g. change delivery's DeliveryHttpModule) go into `imports` below.
 */
@Module({
  imports: [DeliveryHttpModule],
  controllers: [OfrepController, AgentController, HealthController, StatusController, DocsController],
  providers: [
    ApiKeyGuard,
    AdminKeyGuard,
    SnapshotResolver,
    OfrepEvaluationService,
    AgentConfigurationService,
    Readiness,
    ServiceStatus,
    ServiceRuntimeShutdown,
  ],
})
export class AppModule {
  static forRoot(runtime: ServiceRuntime): DynamicModule {
    const { config } = runtime;
    return {
      module: AppModule,
      imports: [
        ServiceConfigModule.forRoot(config),
        ObservabilityModule.forRoot(runtime.logger),
        EventEmitterModule.forRoot(),
        TerminusModule.forRoot({ logger: false }),
        AppConfigPollerModule.forRoot({
          sources: runtime.sources,
          store: runtime.store,
          client: {
            endpoint: runtime.endpoint,
            region: config.awsRegion,
            // The emulator accepts any signature; real AppConfig uses the SDK's credential chain.
            credentials: runtime.emulator
              ? { accessKeyId: 'flagfleet', secretAccessKey: 'embedded' }
              : undefined,
          },
          requiredMinimumPollIntervalSeconds: config.pollIntervalSeconds,
          backupDir: config.backupDir,
          replicaId: config.replicaId,
          leaseTtlMs: config.pollLeaseTtlMs,
        }),
      ],
      providers: [{ provide: ServiceRuntime, useValue: runtime }],
    };
  }
}
