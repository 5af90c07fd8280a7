import { Histogram, Registry } from 'prom-client';
import { LATENCY_SAMPLE_EVERY, SampledLatency } from './service-metrics';

describe('SampledLatency', () => {
  it('times the first evaluation and then one in LATENCY_SAMPLE_EVERY', async () => {
    const histogram = new Histogram({
      name: 'h',
      help: 'h',
      labelNames: ['endpoint'],
      buckets: [1],
      registers: [new Registry()],
    });
    const latency = new SampledLatency(histogram.labels({ endpoint: 'single' }));
    const count = async (): Promise<number> =>
      (await histogram.get()).values.find((value) => value.metricName === 'h_count')?.value ?? 0;

    latency.stop(latency.start());
    expect(await count()).toBe(1);
    for (let i = 1; i < 2 * LATENCY_SAMPLE_EVERY; i++) latency.stop(latency.start());
    expect(await count()).toBe(2);
  });
});
