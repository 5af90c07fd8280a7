import { execFileSync } from 'node:child_process';
import { IN_PROCESS_URL } from '@flagfleet/appconfig-emulator';
import { PolledSources } from '../src/sources/polled-sources';
import { startService } from '../../../test/support/service-process';
import { waitFor } from '../../../test/support/wait-for';
import { SERVICE_FLAGS, startFlagService, type RunningFlagService } from './flag-service-harness';

describe('embedded emulator (npm start default)', () => {
  let service: RunningFlagService;
  let emulatorUrl: string;
  beforeAll(async () => {
    service = await startFlagService({ flags: SERVICE_FLAGS }, { ADMIN_API_KEYS: 'admin-secret' });
    emulatorUrl = service.app.get(PolledSources).client.endpoint!;
  });
  afterAll(() => service.close());

  const evaluate = async (key: string): Promise<unknown> =>
    (
      await fetch(`${service.url}/ofrep/v1/evaluate/flags/${key}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"context":{}}',
      })
    ).json();

  it('serves the emulator with no listener: its endpoint is a name only the SDK handler in this process answers', async () => {
    expect(emulatorUrl).toBe(IN_PROCESS_URL);
    // Nothing to connect to: .invalid never resolves (RFC 6761), so no local process reaches the data plane.
    await expect(fetch(`${emulatorUrl}/admin/stats`)).rejects.toThrow();
    expect(await evaluate('injected')).toMatchObject({ errorCode: 'FLAG_NOT_FOUND' });
  });

  it('still deploys file edits', async () => {
    await service.writeFlags('flags', {
      flags: {
        ...SERVICE_FLAGS.flags,
        edited: { state: 'ENABLED', variants: { on: true }, defaultVariant: 'on' },
      },
    });
    const answer = await waitFor(
      async () => ((await evaluate('edited')) as { value?: unknown }).value === true,
      { timeoutMs: 10_000 },
    );
    expect(answer).toBe(true);
  });
});

describe('embedded emulator in the built service', () => {
  it('listens on its own ports only: no data plane (sessions, documents) for other local processes', async () => {
    const service = await startService();
    try {
      const listening = execFileSync('ss', ['-Hltnp'], { encoding: 'utf8' })
        .split('\n')
        .filter((line) => line.includes(`pid=${service.pid},`))
        .map((line) => Number(/:(\d+)\s/.exec(line.split(/\s+/)[3] + ' ')?.[1]));
      expect(new Set(listening)).toEqual(
        new Set([service.port, service.flagdEvaluationPort, service.flagdSyncPort]),
      );
      const answer = await fetch(`${service.url}/ofrep/v1/evaluate/flags`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"context":{}}',
      });
      expect(answer.status).toBe(200);
    } finally {
      await service.kill();
    }
  });
});
