import { PollerEvent } from '@flagfleet/appconfig-poller';
import { ATTEMPT_OUTCOMES } from '@flagfleet/change-delivery';
import { ErrorCode, Reason } from '@flagfleet/flag-engine';
import { FLAGD_METHODS, FLAGD_OUTCOMES } from '@flagfleet/flagd-protocol';
import { EVALUATION_PROTOCOLS } from '@flagfleet/serving';

/**
 * Prometheus label values are snake_case: domain names (`dead-lettered`, `flags.changed`) are mapped
 * here, in one place, so an alert written from the docs matches what the service emits.
 */
export function metricLabel(name: string): string {
  return name.replace(/[.-]/g, '_');
}

/**
 * Every value each closed-set label can take (flag keys and sources are open sets, left out).
 * docs/*.md and README.md are checked against this list, and a scrape of the running service too.
 */
export const METRIC_LABEL_VALUES: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  flagfleet_evaluations_total: {
    // An error is labelled with its code, so the reason ERROR itself never appears.
    reason: [
      ...Object.values(Reason).filter((reason) => reason !== Reason.ERROR),
      ...Object.values(ErrorCode),
    ],
    protocol: EVALUATION_PROTOCOLS.map(metricLabel),
  },
  flagfleet_evaluation_duration_seconds: { endpoint: ['single', 'bulk'] },
  flagfleet_poller_events_total: { event: Object.values(PollerEvent).map(metricLabel) },
  flagfleet_webhook_deliveries_total: { outcome: ATTEMPT_OUTCOMES.map(metricLabel) },
  flagfleet_flagd_rpcs_total: { method: FLAGD_METHODS, outcome: FLAGD_OUTCOMES },
  flagfleet_flagd_open_streams: { stream: ['event', 'sync'] },
};
