import { readFileSync } from 'node:fs';

/**
 * One answer of a probe: which route, how long it took, the CPU the service's main thread (its event loop) used
 * meanwhile, and its status (0: no answer in time, or a wrong one).
 */
export interface ProbeSample {
  readonly route: string;
  readonly ms: number;
  readonly serviceCpuMs: number;
  readonly status: number;
}

export interface ProbeRoute {
  readonly name: string;
  request(signal: AbortSignal): Promise<Response>;
  /** The answer expected (the body read): a wrong one is recorded as status 0, as no answer is. */
  check?(body: string): boolean;
}

// A probe waits no longer than this for an answer (an answer that late is a failure anyway).
const PROBE_TIMEOUT_MS = 15_000;
// Between two rounds: the probe measures the service, it should not be a load of its own on a shared machine.
const PACE_MS = 10;

/**
 * Asks each route in turn, round after round, from `start()` until `stop()`, timing every answer: a route that
 * waits behind a stalled event loop shows as a slow sample.
 */
export class LivenessProbe {
  private readonly taken: ProbeSample[] = [];
  private running = false;
  private loop: Promise<void> = Promise.resolve();

  /** `pid`: the service process, whose main thread's CPU is read beside each answer. */
  constructor(
    private readonly routes: readonly ProbeRoute[],
    private readonly pid: number,
  ) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  /** Stops asking (at the end of the round under way) and answers every sample; may be called again. */
  async stop(): Promise<readonly ProbeSample[]> {
    this.running = false;
    await this.loop;
    return this.taken;
  }

  get samples(): readonly ProbeSample[] {
    return this.taken;
  }

  private async run(): Promise<void> {
    while (this.running) {
      for (const route of this.routes) this.taken.push(await sample(route, this.pid));
      await new Promise((resolve) => setTimeout(resolve, PACE_MS));
    }
  }
}

async function sample(route: ProbeRoute, pid: number): Promise<ProbeSample> {
  const started = performance.now();
  const cpu = mainThreadCpuMs(pid);
  const taken = (status: number): ProbeSample => ({
    route: route.name,
    ms: performance.now() - started,
    serviceCpuMs: mainThreadCpuMs(pid) - cpu,
    status,
  });
  try {
    const answer = await route.request(AbortSignal.timeout(PROBE_TIMEOUT_MS));
    const body = await answer.text();
    return taken(route.check === undefined || route.check(body) ? answer.status : 0);
  } catch {
    return taken(0);
  }
}

/**
 * CPU of a process's main thread in ms (Linux's per-thread counters, clock ticks of 10 ms; garbage collection's
 * helper threads not counted): on a loaded machine, the wall time of an answer also counts the time the service
 * waited for a core, its main thread's CPU only what its event loop ran. 0 where /proc is not there.
 */
export function mainThreadCpuMs(pid: number): number {
  try {
    const text = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
    // The fields after the command name, from the 3rd (state): utime is the 14th, stime the 15th.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/** The largest resident set a process had so far (Linux's VmHWM), in MB; null where /proc is not there. */
export function peakRssMb(pid: number): number | null {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((entry) => entry.startsWith('VmHWM:'));
    return line === undefined ? null : Number(line.replace(/\D+/g, '')) / 1024;
  } catch {
    return null;
  }
}
