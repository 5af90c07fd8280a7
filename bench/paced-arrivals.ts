import { performance } from 'node:perf_hooks';

/**
 * The measurement window of a load generator, `seconds` from `start` (a `performance.now()`): with `rate` > 0,
 * open-loop arrivals at `rate` per second, each millisecond's new ones handed to `arrive` (which sends what
 * it can and queues the rest); with `rate` 0 nothing is paced (closed loop: the generator resends on each
 * answer). Resolves when the window ends.
 */
export function pacedArrivals(
  start: number,
  seconds: number,
  rate: number,
  arrive: (count: number) => void,
): Promise<void> {
  return new Promise<void>((resolve) => {
    const end = start + seconds * 1000;
    let scheduled = 0;
    const tick = (): void => {
      const now = performance.now();
      if (now >= end) {
        resolve();
        return;
      }
      if (rate > 0) {
        const dueNow = Math.floor(((now - start) * rate) / 1000);
        if (dueNow > scheduled) arrive(dueNow - scheduled);
        scheduled = dueNow;
      }
      setTimeout(tick, 1);
    };
    tick();
  });
}
