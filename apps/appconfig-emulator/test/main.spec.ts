import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  poll,
  sdkClient,
  startSession,
  text,
} from '../../../libs/appconfig-emulator/src/testing/sdk-session';

const MAIN = resolve(__dirname, '../../../dist/apps/appconfig-emulator/src/main.js');
const describeBuilt = existsSync(MAIN) ? describe : describe.skip;
if (!existsSync(MAIN)) console.log(`${MAIN} not built (npm run build): standalone emulator suite skipped`);

describeBuilt('standalone emulator (built main.js)', () => {
  let dir: string;
  let child: ChildProcess | undefined;
  let output = '';

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flagfleet-emulator-main-'));
    output = '';
  });
  afterEach(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  const run = (env: Record<string, string>): ChildProcess => {
    child = spawn(process.execPath, [MAIN], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    return child;
  };
  /** Resolves with the URL of the start-up log line; bounded, and fails if the process exits first. */
  const listeningUrl = (proc: ChildProcess): Promise<string> =>
    new Promise((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`no listening line within 10 s: ${output}`)), 10_000);
      const check = (): void => {
        const match = /listening on (http:\/\/\S+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          proc.stdout?.off('data', check);
          done(match[1]);
        }
      };
      proc.stdout?.on('data', check);
      proc.once('exit', () => fail(new Error(`exited before listening: ${output}`)));
      check();
    });
  const exited = (proc: ChildProcess): Promise<number | null> =>
    proc.exitCode !== null
      ? Promise.resolve(proc.exitCode)
      : new Promise((done) => proc.once('exit', (code) => done(code)));

  it('serves a folder on EMULATOR_PORT with the configured interval, logs its URL and stops on SIGTERM', async () => {
    await writeFile(join(dir, 'demo.json'), '{"flags":{}}');
    const proc = run({ EMULATOR_PORT: '0', EMULATOR_FLAGS_DIR: dir, EMULATOR_POLL_INTERVAL_SECONDS: '7' });
    const url = await listeningUrl(proc);

    const client = sdkClient(url);
    const out = await poll(client, await startSession(client, 'local', 'local', 'demo'));
    client.destroy();
    expect(text(out)).toBe('{"flags":{}}');
    expect(out.NextPollIntervalInSeconds).toBe(7);

    proc.kill('SIGTERM');
    expect(await exited(proc)).toBe(0);
  });

  it('lists every invalid EMULATOR_* variable by name and exits 2', async () => {
    const proc = run({ EMULATOR_PORT: 'eighty', EMULATOR_POLL_INTERVAL_SECONDS: '0' });
    expect(await exited(proc)).toBe(2);
    expect(output).toContain('appconfig-emulator: invalid environment');
    expect(output).toContain('EMULATOR_PORT must be integer');
    expect(output).toContain('EMULATOR_POLL_INTERVAL_SECONDS must be >= 1');
    expect(output).not.toContain('    at '); // no stack trace
  });

  it('says what docs/emulator.md says: exit 2 on an invalid variable', () => {
    const doc = readFileSync(resolve(__dirname, '../../../docs/emulator.md'), 'utf8');
    expect(doc).toContain(
      'An invalid variable stops start-up with a message listing each one and exit code 2',
    );
  });

  it('says the embedded emulator has no port to set, and what to run instead', () => {
    const doc = readFileSync(resolve(__dirname, '../../../docs/emulator.md'), 'utf8');
    expect(doc).toContain('no port to set, on purpose');
  });

  it('names the error code and exits 1 when the flags folder is missing', async () => {
    const proc = run({ EMULATOR_PORT: '0', EMULATOR_FLAGS_DIR: join(dir, 'missing') });
    expect(await exited(proc)).toBe(1);
    expect(output).toContain('FLAGFLEET_EMULATOR_FLAGS_DIR_UNREADABLE');
  });
});
