import type { EvaluationResult } from '@flagfleet/flag-engine';
import type { EvaluationProtocol } from './evaluation-protocol';

/**
 * What the port counts into (the app's Prometheus metrics implement it). `count` must be cheap: it runs once per
 * evaluation, or once per batch for callers that memoise answers (`times`).
 */
export interface EvaluationMetrics {
  count(protocol: EvaluationProtocol, result: EvaluationResult, times: number): void;
  /** A start time for `timed`. */
  started(): number;
  /** One request timed: `single` (one flag) or `bulk` (several). */
  timed(kind: 'single' | 'bulk', started: number): void;
}
