import { readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { resolve } from 'node:path';
import { freePort } from './support/free-port';
import { type Command, killGroup, repoCopy, run } from './support/repo-copy';
import { waitFor } from './support/wait-for';

/** The npm scripts as a user runs them, in a copy of the repository (its own dist/). */
describe('npm start and npm run start:emulator', () => {
  const copy = repoCopy();
  const started: Command[] = [];
  afterAll(() => {
    for (const command of started) killGroup(command);
    copy.remove();
  });
  const start = (line: string, env: Record<string, string>): Command => {
    const command = run(line, copy.dir, env);
    started.push(command);
    return command;
  };
  const listening = (command: Command, pattern: RegExp, what: string): Promise<unknown> =>
    waitFor(() => pattern.test(command.output()), {
      timeoutMs: 60_000,
      intervalMs: 50,
      message: what,
      stop: () =>
        command.child.exitCode !== null ? `${what}: exited early:\n${command.output()}` : undefined,
    });
  const refused = (port: number): Promise<boolean> =>
    new Promise((done) => {
      const socket = createConnection(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), done(false)));
      socket.once('error', () => done(true));
    });
  const servicePorts = async (): Promise<Record<string, string>> => ({
    PORT: String(await freePort()),
    FLAGD_EVALUATION_PORT: String(await freePort()),
    FLAGD_SYNC_PORT: String(await freePort()),
  });

  it('both started at once (no dist/ yet) come up; SIGTERM to npm drains, logs it and exits 0, leaving nothing', async () => {
    const ports = await servicePorts();
    const emulatorPort = String(await freePort());
    // `exec`: the signal goes to npm itself, as a terminal, a supervisor or `docker stop` sends it.
    const service = start('exec npm start', { ...ports, FLAGS_DIR: './flags' });
    const emulator = start('exec npm run start:emulator', { EMULATOR_PORT: emulatorPort });
    await listening(service, /flagfleet listening on/, 'the service banner');
    await listening(emulator, /listening on http:/, 'the emulator');

    service.child.kill('SIGTERM');
    emulator.child.kill('SIGTERM');
    expect(await service.exited()).toBe(0);
    expect(await emulator.exited()).toBe(0);
    expect(service.output()).toContain('SIGTERM received: draining');
    expect(service.output()).toMatch(/stopped cleanly in \d+ ms/);
    // npm's child (node) is gone with it: its ports are free.
    expect(await refused(Number(ports.PORT))).toBe(true);
    expect(await refused(Number(emulatorPort))).toBe(true);
  }, 120_000);

  it("runs docs/emulator.md's walkthrough as written (only the ports differ)", async () => {
    const doc = readFileSync(resolve(__dirname, '../docs/emulator.md'), 'utf8');
    const block = /<!-- walkthrough:emulator -->\n```sh\n([\s\S]*?)```/.exec(doc)?.[1];
    const lines = (block ?? '').trim().split('\n');
    expect(lines).toHaveLength(4);
    const [emulatorLine, serviceLine, evaluateLine, deployLine] = lines;
    const ports = await servicePorts();
    const emulatorPort = String(await freePort());
    const local = (line: string): string =>
      line
        .replaceAll('127.0.0.1:2773', `127.0.0.1:${emulatorPort}`)
        .replaceAll('localhost:8080', `localhost:${ports.PORT}`);

    const emulator = start(local(emulatorLine), { EMULATOR_PORT: emulatorPort });
    await listening(emulator, /listening on http:/, 'the emulator');
    const service = start(local(serviceLine), ports);
    await listening(service, /flagfleet listening on/, 'the service banner');

    const evaluated = run(local(evaluateLine), copy.dir);
    expect(await evaluated.exited()).toBe(0);
    expect(JSON.parse(evaluated.output())).toMatchObject({ key: 'dark_mode', value: expect.anything() });
    const deployed = run(local(deployLine), copy.dir);
    expect(await deployed.exited()).toBe(0);
    expect(deployed.output()).toContain('{"versionNumber":2}');
  }, 120_000);
});
