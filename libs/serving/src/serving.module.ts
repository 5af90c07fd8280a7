import { Global, Module, type DynamicModule, type InjectionToken } from '@nestjs/common';
import { ChangeFeed } from './changes/change-feed';
import { EvaluationPort } from './evaluation/evaluation-port';
import type { EvaluationMetrics } from './evaluation/evaluation-metrics';
import { ReadinessChecks } from './readiness/readiness-checks';
import { SnapshotRegistry } from './snapshots/snapshot-registry';

/**
 * The seam's providers: the one SnapshotRegistry every source writes into and every protocol reads, the one
 * ChangeFeed every protocol's streams consume, the ReadinessChecks sources and listeners add to, and the
 * EvaluationPort every protocol evaluates through (`forRoot`: `metrics` names the global provider implementing
 * EvaluationMetrics). Imported bare, all but the port (sources' tests).
 */
@Global()
@Module({
  providers: [SnapshotRegistry, ChangeFeed, ReadinessChecks],
  exports: [SnapshotRegistry, ChangeFeed, ReadinessChecks],
})
export class ServingModule {
  static forRoot(options: { readonly metrics: InjectionToken<EvaluationMetrics> }): DynamicModule {
    return {
      module: ServingModule,
      providers: [
        {
          provide: EvaluationPort,
          inject: [SnapshotRegistry, options.metrics],
          useFactory: (snapshots: SnapshotRegistry, metrics: EvaluationMetrics) =>
            new EvaluationPort(snapshots, metrics),
        },
      ],
      exports: [EvaluationPort],
    };
  }
}
