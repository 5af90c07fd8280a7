import { Registry } from 'prom-client';
import { LatencyHistogram } from './latency-histogram';

describe('LatencyHistogram', () => {
  const histogram = (): LatencyHistogram<string> =>
    new LatencyHistogram({
      name: 'h_seconds',
      help: 'help text',
      buckets: [0.001, 0.01],
      labelName: 'endpoint',
      labelValues: ['single', 'bulk'],
    });

  it('counts every observation into the bucket whose bound it does not exceed', () => {
    const latency = histogram();
    for (const seconds of [0.0005, 0.001, 0.002, 0.5]) latency.of('single').observe(seconds);
    const single = latency.of('single');
    expect(Array.from(single.counts)).toEqual([2, 1, 1]);
    expect(single.count).toBe(4);
    expect(single.sum).toBeCloseTo(0.5035, 10);
    expect(latency.of('bulk').count).toBe(0);
  });

  it('times start to stop', () => {
    const series = histogram().of('bulk');
    series.stop(series.start());
    expect(series.count).toBe(1);
    expect(series.sum).toBeGreaterThanOrEqual(0);
  });

  it('is scraped by a prom-client Registry as a histogram, every series from 0', async () => {
    const registry = new Registry();
    const latency = histogram();
    latency.registerIn(registry);
    for (let i = 0; i < 1000; i++) latency.of('single').observe(i % 2 === 0 ? 1 / 1024 : 1 / 128); // sums exactly in binary
    expect(await registry.metrics()).toBe(
      [
        '# HELP h_seconds help text',
        '# TYPE h_seconds histogram',
        'h_seconds_bucket{le="0.001",endpoint="single"} 500',
        'h_seconds_bucket{le="0.01",endpoint="single"} 1000',
        'h_seconds_bucket{le="+Inf",endpoint="single"} 1000',
        'h_seconds_sum{endpoint="single"} 4.39453125',
        'h_seconds_count{endpoint="single"} 1000',
        'h_seconds_bucket{le="0.001",endpoint="bulk"} 0',
        'h_seconds_bucket{le="0.01",endpoint="bulk"} 0',
        'h_seconds_bucket{le="+Inf",endpoint="bulk"} 0',
        'h_seconds_sum{endpoint="bulk"} 0',
        'h_seconds_count{endpoint="bulk"} 0',
        '',
      ].join('\n'),
    );
    const [json] = await registry.getMetricsAsJSON();
    expect(json).toMatchObject({ name: 'h_seconds', type: 'histogram' });
    registry.resetMetrics();
    expect(latency.of('single').count).toBe(0);
  });
});
