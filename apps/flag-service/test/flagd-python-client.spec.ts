import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startFlagService, type RunningFlagService } from './flag-service-harness';

// Debian's python3-grpcio lives in the system interpreter (scripts/ensure-test-tools.js).
const PYTHON = process.env.FLAGFLEET_PYTHON ?? '/usr/bin/python3';
const ROOT = join(__dirname, '../../..');
const PROTO_DIR = join(ROOT, 'libs/flagd-protocol/proto');
const BUF = join(ROOT, 'node_modules/.bin/buf');
const CLIENT = join(ROOT, 'test/python/flagd_client.py');

const FLAGS = {
  flags: {
    'kill-switch': { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'on' },
    plan: {
      state: 'ENABLED',
      variants: { free: 'free', pro: 'pro' },
      defaultVariant: 'free',
      targeting: { if: [{ '==': [{ var: 'tier' }, 'gold'] }, 'pro', null] },
    },
    'page-size': { state: 'ENABLED', variants: { small: 10, large: 50 }, defaultVariant: 'large' },
    layout: { state: 'ENABLED', variants: { one: { steps: 1, express: true } }, defaultVariant: 'one' },
  },
};

type Line = Record<string, unknown> & { call?: string; stream?: string; step?: string };

describe('a flagd client in another language: Python grpcio, on the project protos', () => {
  let service: RunningFlagService;
  let work: string;
  let descriptors: string;

  beforeAll(async () => {
    // The project's protos as a descriptor set (buf, from npm): Debian's grpc_tools.protoc is protoc 3.5, which
    // cannot read flagd's v2 protos (proto3 `optional`).
    work = await mkdtemp(join(tmpdir(), 'flagfleet-python-'));
    descriptors = join(work, 'flagd.binpb');
    const built = spawnSync(BUF, ['build', PROTO_DIR, '-o', descriptors], { encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`buf build failed: ${built.stderr || built.error}`);
    service = await startFlagService({ flags: FLAGS });
  });
  afterAll(async () => {
    await service?.close();
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  });

  it('resolves v1 and v2 flags, ResolveAll, FetchAllFlags, and follows a deploy on EventStream and SyncFlags', async () => {
    const client = spawn(PYTHON, [CLIENT, descriptors, service.flagdEvaluation, service.flagdSync], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    client.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const lines: Line[] = [];
    const bound = setTimeout(() => client.kill(), 60_000);
    const exited = new Promise<number | null>((done) => client.on('close', (code) => done(code)));
    for await (const text of createInterface({ input: client.stdout })) {
      const line = JSON.parse(text) as Line;
      lines.push(line);
      // Both streams have their first message: deploy a change for each to deliver.
      if (line.step === 'streaming')
        await service.writeFlags('flags', {
          flags: { ...FLAGS.flags, 'page-size': { ...FLAGS.flags['page-size'], defaultVariant: 'small' } },
        });
    }
    clearTimeout(bound);
    expect({ exit: await exited, stderr }).toEqual({ exit: 0, stderr: '' });

    const answer = (call: string) => lines.find((line) => line.call === call);
    expect(answer('v1.ResolveBoolean')?.answer).toMatchObject({
      value: true,
      variant: 'on',
      reason: 'STATIC',
    });
    expect(answer('v1.ResolveString')?.answer).toMatchObject({ value: 'pro', reason: 'TARGETING_MATCH' });
    // int64 as protobuf's JSON mapping writes it: a string.
    expect(answer('v2.ResolveInt')?.answer).toMatchObject({ value: '50', variant: 'large' });
    expect(answer('v2.ResolveObject')?.answer).toMatchObject({ value: { steps: 1, express: true } });
    const all = answer('v1.ResolveAll')?.answer as { flags: Record<string, { stringValue?: string }> };
    expect(Object.keys(all.flags).sort()).toEqual(['kill-switch', 'layout', 'page-size', 'plan']);
    expect(all.flags.plan.stringValue).toBe('pro');
    expect(answer('v2.ResolveBoolean missing')).toMatchObject({ code: 'NOT_FOUND' });
    const fetched = answer('sync.FetchAllFlags')?.answer as { flagConfiguration: string };
    expect(Object.keys(JSON.parse(fetched.flagConfiguration).flags)).toHaveLength(4);

    const messages = (stream: string) =>
      lines.filter((line) => line.stream === stream).map((line) => line.message);
    expect(messages('EventStream')).toEqual([
      expect.objectContaining({ type: 'provider_ready' }),
      expect.objectContaining({
        type: 'configuration_change',
        data: { flags: { 'page-size': { type: 'update' } } },
      }),
    ]);
    const documents = messages('SyncFlags') as Array<{ flagConfiguration: string }>;
    expect(
      documents.map((document) => JSON.parse(document.flagConfiguration).flags['page-size'].defaultVariant),
    ).toEqual(['large', 'small']);
    expect(lines.at(-1)).toEqual({ step: 'done' });
  }, 90_000);
});
