import type { DynamicModule } from '@nestjs/common';
import { EvaluationPort } from '@flagfleet/serving';
import { FlagdProtocolModule, type FlagdVerdict } from '@flagfleet/flagd-protocol';
import { ApiKeyGuard } from '../auth';
import { ServiceConfig } from '../config';
import { ServiceMetrics } from '../observability/service-metrics';
import { readCertificate } from '../tls/serving-certificate';

const VERDICTS: Record<200 | 401 | 403, FlagdVerdict> = {
  200: 'ok',
  401: 'unauthenticated',
  403: 'permission-denied',
};

/**
 * flagd's evaluation and sync listeners over this replica's snapshots: the same API keys as the HTTP
 * evaluation routes, request messages bounded like HTTP bodies.
 */
export function flagdProtocolModule(): DynamicModule {
  return FlagdProtocolModule.forRootAsync({
    inject: [ServiceConfig, EvaluationPort, ServiceMetrics],
    useFactory: (config: ServiceConfig, evaluations: EvaluationPort, metrics: ServiceMetrics) => {
      const guard = new ApiKeyGuard(config);
      return {
        evaluationPort: config.flagd.evaluationPort,
        syncPort: config.flagd.syncPort,
        host: config.http.host,
        evaluations,
        authorize: (headers) => VERDICTS[guard.verdict(headers)],
        metrics: metrics.flagd,
        maxRequestBytes: config.http.bodyLimitBytes,
        maxResponseBytes: config.flagd.maxMessageBytes,
        keepAliveMs: config.flagd.keepAliveMs,
        maxEventStreams: config.flagd.maxEventStreams,
        maxSyncStreams: config.flagd.maxSyncStreams,
        idleTimeoutMs: config.flagd.idleTimeoutMs,
        maxConnections: config.http.connections.maxConnections,
        http1: config.http.connections,
        tls: config.http.tls === null ? undefined : readCertificate(config.http.tls),
      };
    },
  });
}
