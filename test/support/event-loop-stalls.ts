import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * CPU of this process's main thread in ms: Linux's per-thread counters (clock ticks of 10 ms), so that garbage
 * collection's helper threads, working beside the event loop, are not counted; elsewhere the whole process.
 */
export const mainThreadCpuMs: () => number = (() => {
  const stat = `/proc/self/task/${process.pid}/stat`;
  try {
    readFileSync(stat);
  } catch {
    return () => {
      const usage = process.cpuUsage();
      return (usage.user + usage.system) / 1000;
    };
  }
  return () => {
    const text = readFileSync(stat, 'utf8');
    // The fields after the command name, from the 3rd (state): utime is the 14th, stime the 15th.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  };
})();

export interface EventLoopStalls {
  /** monitorEventLoopDelay's longest delay, wall time. */
  readonly monitoredMaxMs: number;
  /** The turn of the event loop (a gap over 20 ms between two 1 ms timers) whose main thread used the most CPU. */
  readonly busiest: { readonly wallMs: number; readonly cpuMs: number };
  readonly gapsOver20Ms: number;
}

/** Watches this process's event loop from now until `stop()`. */
export function watchEventLoop(): { stop(): EventLoopStalls } {
  let busiest = { wallMs: 0, cpuMs: 0 };
  let gaps = 0;
  const delay = monitorEventLoopDelay({ resolution: 1 });
  let last = { at: process.hrtime.bigint(), cpu: mainThreadCpuMs() };
  let watching = true;
  const probe = (): void => {
    if (!watching) return;
    const now = { at: process.hrtime.bigint(), cpu: mainThreadCpuMs() };
    const wallMs = Number(now.at - last.at) / 1e6;
    if (wallMs > 20) {
      gaps++;
      const cpuMs = now.cpu - last.cpu;
      if (cpuMs > busiest.cpuMs) busiest = { wallMs, cpuMs };
    }
    last = now;
    setTimeout(probe, 1);
  };
  delay.enable();
  setTimeout(probe, 1);
  return {
    stop: () => {
      watching = false;
      delay.disable();
      return { monitoredMaxMs: delay.max / 1e6, busiest, gapsOver20Ms: gaps };
    },
  };
}
