import { PolledSources } from '../src/sources/polled-sources';
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

  it('exposes no admin route to local processes: no deploy, no faults, past ADMIN_API_KEYS', async () => {
    const deploy = await fetch(
      `${emulatorUrl}/admin/applications/local/environments/local/configurations/flags`,
      {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          flags: { injected: { state: 'ENABLED', variants: { on: true }, defaultVariant: 'on' } },
        }),
      },
    );
    expect(deploy.status).toBe(404);
    const fault = await fetch(`${emulatorUrl}/admin/faults`, {
      method: 'POST',
      body: '{"type":"internal-error","count":100}',
    });
    expect(fault.status).toBe(404);
    expect((await fetch(`${emulatorUrl}/admin/stats`)).status).toBe(404);
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
