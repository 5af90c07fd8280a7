import { Clock } from '@flagfleet/core';
import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { SnapshotRegistry, type EvaluationMetrics, type EvaluationProtocol } from '@flagfleet/serving';
import type { AttemptOutcome } from '@flagfleet/change-delivery';
import { ErrorCode, type EvaluationResult } from '@flagfleet/flag-engine';
import type { FlagdMetrics } from '@flagfleet/flagd-protocol';
import { ServiceConfig } from '../config';
import { METRIC_LABEL_VALUES, metricLabel } from './metric-labels';
import { LatencyHistogram, type LatencySeries } from './latency-histogram';

/** Label used for flags beyond the cardinality cap: a flood of unknown keys cannot blow up the series count. */
export const OTHER_FLAG_LABEL = '__other__';

/** Label of every FLAG_NOT_FOUND evaluation: unknown keys are unbounded, so none becomes a label. */
export const NOT_FOUND_FLAG_LABEL = '__not_found__';

/**
 * The service's Prometheus registry. Other modules count through this injectable (e.g. change
 * delivery, through DeliveryMetricsListener: `metrics.countDelivery('delivered')`).
 */
@Injectable()
export class ServiceMetrics implements EvaluationMetrics {
  readonly registry = new Registry();
  readonly evaluations: Counter<'flag' | 'reason' | 'protocol'>;
  readonly singleLatency: LatencySeries;
  readonly bulkLatency: LatencySeries;
  readonly pollerEvents: Counter<'source' | 'event'>;
  private readonly webhookDeliveries: Counter<'outcome'>;
  /** What the flagd listeners count: RPCs by method and outcome, open streams. */
  readonly flagd: FlagdMetrics;
  private readonly sseStreams: Gauge;
  private readonly flagLabels = new Set<string>();
  /** protocol → flag → reason → count, moved into the counter at scrape time. */
  private readonly pending = new Map<EvaluationProtocol, Map<string, Record<string, number>>>();
  /** flagd method → outcome → calls, moved into the RPC counter at scrape time. */
  private readonly pendingRpcs = new Map<string, Record<string, number>>();
  private readonly collectHooks: Array<() => void> = [];
  private readonly maxFlagLabels: number;

  constructor(config: ServiceConfig, snapshots: SnapshotRegistry, clock: Clock) {
    this.maxFlagLabels = config.observability.metricsMaxFlagLabels;
    collectDefaultMetrics({ register: this.registry, prefix: 'flagfleet_' });
    const pending = this.pending;
    const hooks = this.collectHooks;
    const label = (flag: string): string => this.flagLabel(flag);
    this.evaluations = new Counter({
      name: 'flagfleet_evaluations_total',
      help: 'Flag evaluations by flag key (capped, see METRICS_MAX_FLAG_LABELS), reason (ERROR codes as reason) and protocol (ofrep, agent, flagd_v1, flagd_v2).',
      labelNames: ['flag', 'reason', 'protocol'],
      registers: [this.registry],
      // Counts accumulate in a plain map on the hot path and move into the counter at scrape time.
      collect() {
        for (const hook of hooks) hook();
        for (const [name, flags] of pending) {
          const protocol = metricLabel(name);
          for (const [flag, reasons] of flags) {
            for (const reason in reasons) this.inc({ flag: label(flag), reason, protocol }, reasons[reason]);
          }
        }
        pending.clear();
      },
    });
    const evaluationSeconds = new LatencyHistogram({
      name: 'flagfleet_evaluation_duration_seconds',
      help: 'Time to evaluate one request (single flag or bulk), excluding network and parsing; every request is timed.',
      buckets: [0.00001, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05],
      labelName: 'endpoint',
      labelValues: METRIC_LABEL_VALUES.flagfleet_evaluation_duration_seconds.endpoint,
    });
    evaluationSeconds.registerIn(this.registry);
    this.singleLatency = evaluationSeconds.of('single');
    this.bulkLatency = evaluationSeconds.of('bulk');
    this.pollerEvents = new Counter({
      name: 'flagfleet_poller_events_total',
      help: 'Poller outcomes by source: flags_changed, config_rejected, poller_error, poller_recovered.',
      labelNames: ['source', 'event'],
      registers: [this.registry],
    });
    // Both gauges live in the registry only (nothing else reads them), computed at scrape time from the
    // snapshots this replica serves.
    new Gauge({
      name: 'flagfleet_snapshot_revision',
      help: 'Revision of the snapshot this replica serves, per source.',
      labelNames: ['source'],
      registers: [this.registry],
      collect() {
        for (const snapshot of snapshots.all()) this.set({ source: snapshot.source }, snapshot.revision);
      },
    });
    new Gauge({
      name: 'flagfleet_snapshot_age_seconds',
      help: 'Seconds since this replica loaded the snapshot it serves, per source.',
      labelNames: ['source'],
      registers: [this.registry],
      collect() {
        const now = clock.now();
        for (const snapshot of snapshots.all())
          this.set({ source: snapshot.source }, (now - snapshot.loadedAt) / 1000);
      },
    });
    this.webhookDeliveries = new Counter({
      name: 'flagfleet_webhook_deliveries_total',
      help: 'Webhook delivery attempts by outcome.',
      labelNames: ['outcome'],
      registers: [this.registry],
    });
    // Every outcome is exported from the start (at 0), so rate() and increase() alerts work from the first attempt.
    for (const outcome of METRIC_LABEL_VALUES.flagfleet_webhook_deliveries_total.outcome)
      this.webhookDeliveries.inc({ outcome }, 0);
    const pendingRpcs = this.pendingRpcs;
    new Counter({
      name: 'flagfleet_flagd_rpcs_total',
      help: 'flagd protocol calls (evaluation v1/v2, sync) by method and outcome (gRPC code); a stream counts when it ends.',
      labelNames: ['method', 'outcome'],
      registers: [this.registry],
      // As evaluations: a plain map on the hot path (prom-client hashes the labels of every `inc`, 1-2 % of a
      // flagd call's CPU), moved into the counter at scrape time.
      collect() {
        for (const [method, outcomes] of pendingRpcs) {
          for (const outcome in outcomes) this.inc({ method, outcome }, outcomes[outcome]);
        }
        pendingRpcs.clear();
      },
    });
    const flagdStreams = new Gauge({
      name: 'flagfleet_flagd_open_streams',
      help: 'Open flagd streams: event (EventStream of RPC-mode providers) and sync (SyncFlags of in-process providers).',
      labelNames: ['stream'],
      registers: [this.registry],
    });
    for (const stream of METRIC_LABEL_VALUES.flagfleet_flagd_open_streams.stream)
      flagdStreams.set({ stream }, 0);
    this.sseStreams = new Gauge({
      name: 'flagfleet_sse_open_streams',
      help: 'Open SSE streams (GET /events/stream), capped by SSE_MAX_STREAMS.',
      registers: [this.registry],
    });
    this.sseStreams.set(0);
    this.flagd = {
      rpcFinished: (method, outcome) => {
        const outcomes = tallyOf(pendingRpcs, method);
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      },
      streamsChanged: (stream, delta) => flagdStreams.inc({ stream }, delta),
    };
  }

  /** An SSE stream opened (+1) or ended (-1). */
  sseStreamsChanged(delta: 1 | -1): void {
    this.sseStreams.inc(delta);
  }

  /** One webhook delivery attempt and how it ended. */
  countDelivery(outcome: AttemptOutcome): void {
    this.webhookDeliveries.inc({ outcome: metricLabel(outcome) });
  }

  /** Runs `hook` before each scrape reads the evaluation counter: holders of batched counts hand them in. */
  beforeCollect(hook: () => void): void {
    this.collectHooks.push(hook);
  }

  /** Counts `times` evaluations that gave `result` (flag label: its key, reason label: error code or reason). */
  count(protocol: EvaluationProtocol, result: EvaluationResult, times: number): void {
    const notFound = result.errorCode === ErrorCode.FLAG_NOT_FOUND;
    // Unknown keys share one label; known flags are bounded by the documents (and capped at scrape time).
    const flag = notFound ? NOT_FOUND_FLAG_LABEL : result.key;
    const reason = result.errorCode ?? result.reason;
    let flags = this.pending.get(protocol);
    if (flags === undefined) {
      flags = new Map();
      this.pending.set(protocol, flags);
    }
    const reasons = tallyOf(flags, flag);
    reasons[reason] = (reasons[reason] ?? 0) + times;
  }

  started(): number {
    return this.singleLatency.start();
  }

  timed(kind: 'single' | 'bulk', started: number): void {
    (kind === 'single' ? this.singleLatency : this.bulkLatency).stop(started);
  }

  private flagLabel(flag: string): string {
    if (this.flagLabels.has(flag)) return flag;
    if (this.flagLabels.size >= this.maxFlagLabels) return OTHER_FLAG_LABEL;
    this.flagLabels.add(flag);
    return flag;
  }
}

/** The counts kept under `key` (label value → count), made on first use. */
function tallyOf(tallies: Map<string, Record<string, number>>, key: string): Record<string, number> {
  let tally = tallies.get(key);
  if (tally === undefined) {
    tally = Object.create(null) as Record<string, number>;
    tallies.set(key, tally);
  }
  return tally;
}
