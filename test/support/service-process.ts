import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { freePort } from './free-port';
import { waitFor } from './wait-for';

/** The built entry point, as deployments run it. */
export const SERVICE_MAIN = resolve(__dirname, '../../dist/apps/flag-service/src/main.js');

export interface ServiceProcess {
  readonly name: string;
  readonly port: number;
  readonly url: string;
  /** flagd's evaluation (v1 + v2) and sync ports of this process. */
  readonly flagdEvaluationPort: number;
  readonly flagdSyncPort: number;
  readonly pid: number;
  /** Everything the process wrote to stdout and stderr so far. */
  logs(): string;
  /** Sends a signal and waits for the process to exit (bounded). */
  kill(signal?: NodeJS.Signals, timeoutMs?: number): Promise<void>;
  readonly exited: boolean;
}

export interface StartServiceOptions {
  readonly name?: string;
  readonly env?: Record<string, string>;
  /** Node options before the entry point (e.g. a `-r` preload of a test's). */
  readonly nodeArgs?: readonly string[];
}

/**
 * Starts the BUILT service (`npm run build` runs before `npm test`) as a separate process, the way a
 * deployment runs it, and waits until `/health/ready` answers 200.
 */
export async function startService(options: StartServiceOptions = {}): Promise<ServiceProcess> {
  if (!existsSync(SERVICE_MAIN)) throw new Error(`${SERVICE_MAIN} is missing: run \`npm run build\` first`);
  // A port found free can be taken before the child binds it (an outgoing connection of another test draws
  // from the same ephemeral range): start again on new ports, a bounded number of times.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnFreePorts(options);
    } catch (error) {
      if (attempt === 3 || !(error instanceof PortTaken)) throw error;
    }
  }
}

/** The process exited during start-up because a port it was given was in use by then. */
class PortTaken extends Error {}

async function startOnFreePorts(options: StartServiceOptions): Promise<ServiceProcess> {
  const port = await freePort();
  // Never flagd's defaults (8013/8015): every process gets its own free ports.
  const flagdEvaluationPort = await freePort();
  const flagdSyncPort = await freePort();
  const name = options.name ?? `replica-${port}`;
  const child: ChildProcess = spawn(process.execPath, [...(options.nodeArgs ?? []), SERVICE_MAIN], {
    env: {
      ...process.env,
      LOG_LEVEL: 'info',
      ...options.env,
      PORT: String(port),
      FLAGD_EVALUATION_PORT: String(flagdEvaluationPort),
      FLAGD_SYNC_PORT: String(flagdSyncPort),
      NODE_ENV: 'test',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let exited = false;
  const exit = new Promise<void>((done) =>
    child.once('exit', () => {
      exited = true;
      done();
    }),
  );
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const url = `http://127.0.0.1:${port}`;
  let exitedDuringStartUp = false;
  try {
    await waitFor(
      async () => (await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(1_000) })).status === 200,
      {
        timeoutMs: 20_000,
        intervalMs: 100,
        message: `${name} /health/ready to answer 200`,
        stop: () => {
          if (!exited) return undefined;
          exitedDuringStartUp = true;
          return `${name} exited during start-up:\n${output}`;
        },
      },
    );
  } catch (error) {
    if (exitedDuringStartUp && output.includes('EADDRINUSE')) throw new PortTaken(String(error));
    if (exitedDuringStartUp) throw error;
    child.kill('SIGKILL');
    throw new Error(`${name} did not become ready in time:\n${output}`);
  }

  return {
    name,
    port,
    url,
    flagdEvaluationPort,
    flagdSyncPort,
    pid: child.pid ?? -1,
    logs: () => output,
    get exited() {
      return exited;
    },
    async kill(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 10_000) {
      if (exited) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** Starts several replicas at once; if one fails, the others are stopped before the error is rethrown. */
export async function startServices(options: readonly StartServiceOptions[]): Promise<ServiceProcess[]> {
  const started = await Promise.allSettled(options.map((option) => startService(option)));
  const replicas = started.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const failure = started.find((outcome) => outcome.status === 'rejected');
  if (failure) {
    await Promise.all(replicas.map((replica) => replica.kill('SIGKILL')));
    throw failure.reason;
  }
  return replicas;
}
