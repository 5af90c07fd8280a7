import { type ChildProcess, fork, spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** Debian's `chromium` (scripts/ensure-test-tools.js installs it), another Chromium or Chrome, or CHROMIUM_PATH. */
function chromiumPath(): string {
  for (const candidate of [process.env.CHROMIUM_PATH, 'chromium', 'chromium-browser', 'google-chrome']) {
    if (!candidate) continue;
    const found = spawnSync('sh', ['-c', 'command -v "$0"', candidate], { encoding: 'utf8' });
    if (found.status === 0 && found.stdout.trim() !== '') return found.stdout.trim();
  }
  throw new Error(
    "no Chromium found: install Debian's chromium (npm test does when root) or set CHROMIUM_PATH",
  );
}

export type ChromiumRequest = { readonly id: number } & (
  | { readonly op: 'open'; readonly url: string }
  | { readonly op: 'evaluate'; readonly page: number; readonly fn: string; readonly arg: unknown }
  | {
      readonly op: 'waitFor';
      readonly page: number;
      readonly fn: string;
      readonly arg: unknown;
      readonly timeoutMs: number;
    }
  | { readonly op: 'screenshot'; readonly page: number; readonly path: string }
  | { readonly op: 'close'; readonly page: number }
  | { readonly op: 'quit' }
);
export type ChromiumReply = { readonly id: number } & (
  { readonly value: unknown } | { readonly error: string }
);

type Request = ChromiumRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;

/** A page of the browser; functions run in the page with one JSON argument, as puppeteer's `evaluate`. */
export interface BrowserPage {
  evaluate<A, T>(fn: (arg: A) => T | Promise<T>, arg: A): Promise<T>;
  waitFor<A>(fn: (arg: A) => boolean, arg: A, timeoutMs: number): Promise<void>;
  screenshot(path: string): Promise<void>;
  close(): Promise<void>;
}

export interface Chromium {
  open(url: string): Promise<BrowserPage>;
  close(): Promise<void>;
}

const START_TIMEOUT_MS = 60_000;

/**
 * Headless Chromium driven by puppeteer-core, as a user's browser (its own profile, no extensions), in a process
 * of its own (chromium-driver.ts): puppeteer-core is an ES module, which Jest's module system cannot load.
 */
export async function launchChromium(): Promise<Chromium> {
  const driver: ChildProcess = fork(join(__dirname, 'chromium-driver.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, CHROMIUM_EXECUTABLE: chromiumPath() },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 0;
  driver.on('message', (reply: ChromiumReply) => {
    const entry = waiting.get(reply.id);
    waiting.delete(reply.id);
    if ('error' in reply) entry?.reject(new Error(`Chromium: ${reply.error}`));
    else entry?.resolve(reply.value);
  });
  const exited = new Promise<never>((_, reject) =>
    driver.once('exit', (code) => reject(new Error(`the Chromium driver exited with ${code}`))),
  );
  exited.catch(() => undefined);
  const reply = (id: number) => {
    const answer = new Promise<unknown>((resolve, reject) => waiting.set(id, { resolve, reject }));
    return Promise.race([answer, exited]);
  };
  const send = (request: Request): Promise<unknown> => {
    const id = ++nextId;
    const answer = reply(id);
    driver.send({ ...request, id });
    return answer;
  };
  const ready = reply(0);
  const timer = setTimeout(() => driver.kill('SIGKILL'), START_TIMEOUT_MS);
  try {
    await ready;
  } finally {
    clearTimeout(timer);
  }
  return {
    async open(url) {
      const page = (await send({ op: 'open', url })) as number;
      return {
        evaluate: async (fn, arg) => (await send({ op: 'evaluate', page, fn: fn.toString(), arg })) as never,
        waitFor: async (fn, arg, timeoutMs) => {
          await send({ op: 'waitFor', page, fn: fn.toString(), arg, timeoutMs });
        },
        screenshot: async (path) => {
          await send({ op: 'screenshot', page, path });
        },
        close: async () => {
          await send({ op: 'close', page });
        },
      };
    },
    async close() {
      await send({ op: 'quit' }).catch(() => undefined);
      driver.kill();
    },
  };
}
