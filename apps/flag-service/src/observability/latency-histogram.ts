import { performance } from 'node:perf_hooks';
import type { Histogram, Registry } from 'prom-client';

/** One labelled series of a LatencyHistogram: fixed buckets that every timed request adds to. */
export class LatencySeries {
  /** Requests per bucket (not cumulative); the last slot is above the highest bound (+Inf only). */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(private readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  /** A start time for `stop`. */
  start(): number {
    return performance.now();
  }

  stop(started: number): void {
    this.observe((performance.now() - started) / 1000);
  }

  observe(seconds: number): void {
    let bucket = 0;
    while (bucket < this.bounds.length && seconds > this.bounds[bucket]) bucket++;
    this.counts[bucket]++;
    this.sum += seconds;
    this.count++;
  }
}

interface HistogramOptions<L extends string> {
  readonly name: string;
  readonly help: string;
  /** Upper bounds in seconds, ascending. */
  readonly buckets: readonly number[];
  readonly labelName: string;
  /** The label's values: a closed set, one series each, all exported from 0. */
  readonly labelValues: readonly L[];
}

/**
 * A Prometheus histogram that times every request for the cost of a bound scan and three additions:
 * prom-client's `observe` hashes the labels and checks them on every call, about half a microsecond on the
 * OFREP hot path. Each series accumulates in a typed array; a scrape reads the totals. It is registered
 * in a prom-client Registry as a metric object (what Registry reads: name, help, type, aggregator, get,
 * reset); latency-histogram.spec.ts checks the text and JSON a Registry makes of it.
 */
export class LatencyHistogram<L extends string> {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  readonly name: string;
  readonly help: string;
  private readonly series = new Map<L, LatencySeries>();

  constructor(private readonly options: HistogramOptions<L>) {
    this.name = options.name;
    this.help = options.help;
    for (const value of options.labelValues) this.series.set(value, new LatencySeries(options.buckets));
  }

  /** The series of one label value. */
  of(value: L): LatencySeries {
    return this.series.get(value)!;
  }

  registerIn(registry: Registry): void {
    // Registry reads only the members above; its type names prom-client's own classes.
    registry.registerMetric(this as unknown as Histogram<string>);
  }

  /** What prom-client's Histogram#get gives: cumulative buckets (`le` first), then `_sum` and `_count`. */
  async get(): Promise<{
    name: string;
    help: string;
    type: string;
    aggregator: string;
    values: Array<{ metricName: string; labels: Record<string, string | number>; value: number }>;
  }> {
    const { name, labelName, buckets } = this.options;
    const values = [];
    for (const [labelValue, series] of this.series) {
      let cumulative = 0;
      for (let i = 0; i < buckets.length; i++) {
        cumulative += series.counts[i];
        values.push({
          metricName: `${name}_bucket`,
          labels: { le: buckets[i], [labelName]: labelValue },
          value: cumulative,
        });
      }
      const labels = { [labelName]: labelValue };
      values.push(
        {
          metricName: `${name}_bucket`,
          labels: { le: '+Inf', [labelName]: labelValue },
          value: series.count,
        },
        { metricName: `${name}_sum`, labels, value: series.sum },
        { metricName: `${name}_count`, labels, value: series.count },
      );
    }
    return { name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void {
    for (const series of this.series.values()) {
      series.counts.fill(0);
      series.sum = 0;
      series.count = 0;
    }
  }
}
