/**
 * The benchmarks' load generator processes (bench/load-generator.ts for HTTP/1.1,
 * bench/grpc-load-generator.ts for unary gRPC): one job at a time, the server's CPU time read exactly
 * when the measured window opens and closes.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { LoadJob, LoadMessage, LoadResult } from './load-generator';
import { processCpuSeconds } from './process-cpu';

/** SIGTERM, then SIGKILL after 5 s. */
export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

/** A server under test: its port, the path to post to, and its process (whose CPU is read). */
export interface Target {
  readonly pid: number;
  readonly port: number;
  readonly path: string;
}

export interface Run extends LoadResult {
  /** Server CPU seconds (user + system) per completed request over the measured window. */
  readonly cpuPerRequest: number;
}

/** The load generator process: one job at a time, the server's CPU read when its window opens and closes. */
export class LoadGenerator {
  private constructor(private readonly child: ChildProcess) {}

  /** `load-generator.ts` (HTTP/1.1) or `grpc-load-generator.ts` (unary gRPC over HTTP/2). */
  static start(script = 'load-generator.ts'): LoadGenerator {
    return new LoadGenerator(
      fork(join(__dirname, script), { execArgv: ['--import', 'tsx'], stdio: 'inherit' }),
    );
  }

  run(target: Target, job: Omit<LoadJob, 'port' | 'path'>): Promise<Run> {
    return new Promise((resolve, reject) => {
      let cpuBefore = 0;
      const onExit = (): void => reject(new Error('the load generator exited'));
      const onMessage = (message: LoadMessage): void => {
        if (message.type === 'measuring') {
          cpuBefore = processCpuSeconds(target.pid);
          return;
        }
        const cpu = processCpuSeconds(target.pid) - cpuBefore;
        this.child.off('message', onMessage).off('exit', onExit);
        resolve({ ...message, cpuPerRequest: cpu / Math.max(message.completed, 1) });
      };
      this.child.on('message', onMessage).once('exit', onExit);
      this.child.send({ ...job, port: target.port, path: target.path } satisfies LoadJob);
    });
  }

  stop(): Promise<void> {
    return stop(this.child);
  }
}
