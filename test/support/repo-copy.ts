import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
/** What `npm start` needs to build and run; dist/ is left out, so the copy builds its own. */
const BUILD_INPUTS = [
  'apps',
  'libs',
  'scripts',
  'flags',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'nest-cli.json',
  '.swcrc',
];

/** A copy of the repository's build inputs (node_modules linked) where npm scripts can build and run
 * without touching the dist/ that other specs run. */
export function repoCopy(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'flagfleet-repo-'));
  for (const entry of BUILD_INPUTS) cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Command {
  readonly child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (null after a signal); bounded. */
  exited(timeoutMs?: number): Promise<number | null>;
}

/** Runs a shell command line in its own process group (so cleanup reaches npm's children too). */
export function run(line: string, cwd: string, env: Record<string, string> = {}): Command {
  const child = spawn('sh', ['-c', line], {
    cwd,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exit = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return {
    child,
    output: () => text,
    exited: (timeoutMs = 15_000) =>
      Promise.race([
        exit,
        new Promise<never>((_done, fail) =>
          setTimeout(
            () => fail(new Error(`${line} did not exit within ${timeoutMs} ms:\n${text}`)),
            timeoutMs,
          ).unref(),
        ),
      ]),
  };
}

/** Kills a command's whole process group, whatever is left of it. */
export function killGroup(command: Command | undefined): void {
  if (command?.child.pid === undefined) return;
  try {
    process.kill(-command.child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
