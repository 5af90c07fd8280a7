import { ChildProcess, spawn } from 'node:child_process';
import { Socket } from 'node:net';
import { freePort } from './free-port';
import { waitFor } from './wait-for';

/** A real `redis-server` on a free port, owned by one test file. */
export interface RedisServerHandle {
  readonly url: string;
  /** Kills the server (SIGKILL after a bounded SIGTERM wait). Idempotent. */
  stop(): Promise<void>;
  /** SIGSTOP: the server holds its connections but answers nothing (a hung Redis). */
  pause(): void;
  /** SIGCONT after pause(). */
  resume(): void;
  /** Stops and starts a fresh, empty server on the same port (data is not persisted). */
  restart(): Promise<void>;
}

const START_TIMEOUT_MS = 5000;
const STOP_TIMEOUT_MS = 2000;

/** One raw RESP PING; avoids depending on a client library in the harness. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
  });
}

/** A `redis-server` (or, with `--sentinel` among `extra`, a Sentinel) on loopback, without persistence. */
export function spawnRedis(port: number, extra: readonly string[] = [], config?: string): ChildProcess {
  const child = spawn(
    'redis-server',
    [
      ...(config ? [config] : []),
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--loglevel',
      'warning',
      ...extra,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.stderr?.resume();
  return child;
}

export async function waitUntilUp(port: number, child: ChildProcess): Promise<void> {
  let exited = false;
  child.once('exit', () => (exited = true));
  await waitFor(() => ping(port), {
    timeoutMs: START_TIMEOUT_MS,
    intervalMs: 25,
    message: `redis-server to answer PING on port ${port}`,
    stop: () => (exited ? `redis-server on port ${port} exited during start-up` : undefined),
  });
}

/** SIGTERM, SIGKILL after a bounded wait; resolves once the process exited. */
export async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGCONT'); // a paused server cannot act on SIGTERM
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

export async function startRedisServer(): Promise<RedisServerHandle> {
  // A port found free can be taken before redis-server binds it: start again on a new one, a bounded number of times.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const child = spawnRedis(port);
    try {
      await waitUntilUp(port, child);
      return handle(port, child);
    } catch (error) {
      await kill(child);
      if (attempt === 3 || !(error instanceof Error) || !error.message.includes('exited during start-up'))
        throw error;
    }
  }
}

function handle(port: number, started: ChildProcess): RedisServerHandle {
  let child = started;
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () => kill(child),
    pause: () => void child.kill('SIGSTOP'),
    resume: () => void child.kill('SIGCONT'),
    async restart() {
      await kill(child);
      child = spawnRedis(port);
      await waitUntilUp(port, child);
    },
  };
}
