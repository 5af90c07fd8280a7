import type { ErrorCode } from './error-code';
import type { FlagMetadata, FlagValue, FlagValueType } from './flag';
import type { Reason } from './reason';

/**
 * The outcome of one evaluation. Never thrown: errors are data.
 * `value` and `variant` are absent when the caller's code default applies (DISABLED, no defaultVariant, errors).
 */
export interface EvaluationResult {
  readonly key: string;
  readonly value?: FlagValue;
  readonly variant?: string;
  readonly reason: Reason;
  readonly errorCode?: ErrorCode;
  readonly errorDetails?: string;
  readonly metadata: FlagMetadata;
}

export interface EvaluationOptions {
  /** When set, a resolved value of another type gives TYPE_MISMATCH (as the OpenFeature SDKs do). */
  readonly expectedType?: FlagValueType;
  /** Unix time in milliseconds used for `$flagd.timestamp`; defaults to Date.now(). */
  readonly now?: number;
}
