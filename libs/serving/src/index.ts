// The seam every protocol sits on (docs/architecture.md): the source-neutral snapshot registry, the evaluation
// port with its typed refusals and metrics, and the one change feed. Pure of any transport; Nest only to provide.
export { ServingModule } from './serving.module';
export type { ConfigSnapshot } from './snapshots/config-snapshot';
export { SnapshotRegistry } from './snapshots/snapshot-registry';
export type { SnapshotListener, SnapshotRegistryEvent } from './snapshots/snapshot-listener';
export * from './changes';
export { EVALUATION_PROTOCOLS, type EvaluationProtocol } from './evaluation/evaluation-protocol';
export type { EvaluationMetrics } from './evaluation/evaluation-metrics';
export { type EvaluationRefusal, refusalMessage } from './evaluation/evaluation-refusal';
export {
  EvaluationPort,
  type BulkEvaluation,
  type BulkEvaluationRequest,
  type Evaluation,
  type EvaluationRequest,
  type ServedFlags,
} from './evaluation/evaluation-port';
export { ReadinessChecks, type ReadinessCheck } from './readiness/readiness-checks';
