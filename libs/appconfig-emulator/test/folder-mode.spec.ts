import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppConfigDataClient } from '@aws-sdk/client-appconfigdata';
import { startAppConfigEmulator, type RunningEmulator } from '@flagfleet/appconfig-emulator';
import { waitFor } from '../../../test/support/wait-for';
import { poll, rejection, sdkClient, startSession, text } from '../src/testing/sdk-session';

describe('emulator folder mode', () => {
  let dir: string;
  let emu: RunningEmulator;
  let client: AppConfigDataClient;
  const lines: string[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flagfleet-emulator-'));
    await writeFile(join(dir, 'features.json'), '{"flags":{}}');
    await writeFile(join(dir, 'broken.json'), '{not json');
    await writeFile(join(dir, 'notes.txt'), 'ignored');
    await writeFile(join(dir, '.hidden.json'), '{}');
    lines.length = 0;
    emu = await startAppConfigEmulator({ flagsDir: dir, logger: (line) => lines.push(line) });
    client = sdkClient(emu.url);
  });
  afterEach(async () => {
    client.destroy();
    await emu.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** The version the emulator holds for a profile, learnt from its deploy log lines. */
  const deployments = (profile: string): number =>
    lines.filter((line) => line.startsWith(`deployed local/local/${profile} `)).length;

  it('deploys every <profile>.json at start as application/json under local/local, invalid files included', async () => {
    const out = await poll(client, await startSession(client, 'local', 'local', 'features'));
    expect(text(out)).toBe('{"flags":{}}');
    expect(out.ContentType).toBe('application/json');
    expect(text(await poll(client, await startSession(client, 'local', 'local', 'broken')))).toBe(
      '{not json',
    );
    expect(await rejection(startSession(client, 'local', 'local', 'notes'))).toMatchObject({
      name: 'ResourceNotFoundException',
    });
    expect(await rejection(startSession(client, 'local', 'local', '.hidden'))).toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  it('skips a file over maxFileBytes before reading it, and keeps serving the others', async () => {
    const small = await mkdtemp(join(tmpdir(), 'flagfleet-emulator-limit-'));
    await writeFile(join(small, 'ok.json'), '{"flags":{}}');
    await writeFile(join(small, 'huge.json'), `{"flags":{},"metadata":{"blob":"${'x'.repeat(5_000)}"}}`);
    const logged: string[] = [];
    const limited = await startAppConfigEmulator({
      flagsDir: small,
      maxFileBytes: 1_000,
      logger: (line) => logged.push(line),
    });
    try {
      expect(
        logged.some((line) => /^skipping huge\.json: \d+ bytes, more than the limit of 1000$/.test(line)),
      ).toBe(true);
      const limitedClient = sdkClient(limited.url);
      expect(text(await poll(limitedClient, await startSession(limitedClient, 'local', 'local', 'ok')))).toBe(
        '{"flags":{}}',
      );
      expect(await rejection(startSession(limitedClient, 'local', 'local', 'huge'))).toMatchObject({
        name: 'ResourceNotFoundException',
      });
      limitedClient.destroy();
    } finally {
      await limited.close();
      await rm(small, { recursive: true, force: true });
    }
  });

  it('deploys a new version when a file changes, seen by an open session', async () => {
    const first = await poll(client, await startSession(client, 'local', 'local', 'features'));
    await writeFile(join(dir, 'features.json'), '{"flags":{"a":{}}}');
    await waitFor(() => deployments('features') === 2);
    expect(text(await poll(client, first.NextPollConfigurationToken!))).toBe('{"flags":{"a":{}}}');
  });

  it('follows editors that save by renaming a temporary file over the original, and picks up new files', async () => {
    await writeFile(join(dir, '.features.json.swp'), '{"saved":true}');
    await rename(join(dir, '.features.json.swp'), join(dir, 'features.json'));
    await writeFile(join(dir, 'added.json'), '{"new":true}');
    await waitFor(() => deployments('features') === 2 && deployments('added') === 1);
    expect(text(await poll(client, await startSession(client, 'local', 'local', 'features')))).toBe(
      '{"saved":true}',
    );
    expect(text(await poll(client, await startSession(client, 'local', 'local', 'added')))).toBe(
      '{"new":true}',
    );
  });

  it('does not create a version when the bytes are unchanged', async () => {
    await writeFile(join(dir, 'features.json'), '{"flags":{}}');
    await writeFile(join(dir, 'other.json'), '{}');
    // Both writes fall into one debounced rescan; once `other` is deployed, `features` was compared too.
    await waitFor(() => deployments('other') === 1);
    expect(deployments('features')).toBe(1);
  });

  it('fails to start with a coded error when the folder does not exist', async () => {
    await expect(startAppConfigEmulator({ flagsDir: join(dir, 'missing') })).rejects.toMatchObject({
      code: 'FLAGFLEET_EMULATOR_FLAGS_DIR_UNREADABLE',
    });
  });
});
