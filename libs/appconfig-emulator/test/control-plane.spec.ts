import {
  AppConfigClient,
  GetHostedConfigurationVersionCommand,
  ListDeploymentsCommand,
} from '@aws-sdk/client-appconfig';
import { startAppConfigEmulator, type RunningEmulator } from '@flagfleet/appconfig-emulator';
import { poll, sdkClient, startSession, text } from '../src/testing/sdk-session';

/** ListDeployments and GetHostedConfigurationVersion through the real control-plane SDK. */
describe('emulator control-plane reads', () => {
  let emu: RunningEmulator;
  let client: AppConfigClient;
  beforeEach(async () => {
    emu = await startAppConfigEmulator();
    client = new AppConfigClient({
      endpoint: emu.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
  });
  afterEach(async () => {
    client.destroy();
    await emu.close();
  });

  it('lists the latest deployment of each profile, newest first, and serves its content as deployed', async () => {
    const authoring = '{"version":"1","flags":{"a":{"name":"a"}},"values":{"a":{"enabled":true}}}';
    emu.deploy('shop', 'prod', 'ui', authoring, 'application/json', 'v1');
    emu.deploy('shop', 'prod', 'other', '{}');
    emu.deploy('shop', 'prod', 'ui', authoring.replace('true', 'false'), 'application/json', 'v2');
    const listed = await client.send(
      new ListDeploymentsCommand({ ApplicationId: 'shop', EnvironmentId: 'prod' }),
    );
    expect(listed.Items).toEqual([
      expect.objectContaining({
        DeploymentNumber: 3,
        ConfigurationProfileId: 'ui',
        ConfigurationVersion: '2',
        State: 'COMPLETE',
        VersionLabel: 'v2',
        CompletedAt: expect.any(Date),
      }),
      expect.objectContaining({
        DeploymentNumber: 2,
        ConfigurationProfileId: 'other',
        ConfigurationVersion: '1',
      }),
    ]);
    const hosted = await client.send(
      new GetHostedConfigurationVersionCommand({
        ApplicationId: 'shop',
        ConfigurationProfileId: 'ui',
        VersionNumber: 2,
      }),
    );
    expect(Buffer.from(hosted.Content!).toString()).toBe(authoring.replace('true', 'false'));
    expect(hosted).toMatchObject({ ContentType: 'application/json', VersionLabel: 'v2', VersionNumber: 2 });
    expect(emu.stats()).toMatchObject({ listDeployments: 1, getHostedConfigurationVersion: 1 });
  });

  it('answers ResourceNotFoundException for an unknown environment and a version no longer kept', async () => {
    emu.deploy('shop', 'prod', 'ui', '{}');
    emu.deploy('shop', 'prod', 'ui', '{"b":1}');
    await expect(
      client.send(new ListDeploymentsCommand({ ApplicationId: 'shop', EnvironmentId: 'nope' })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(
      client.send(
        new GetHostedConfigurationVersionCommand({
          ApplicationId: 'shop',
          ConfigurationProfileId: 'ui',
          VersionNumber: 1,
        }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('applies faults armed for the control plane to it only', async () => {
    emu.deploy('shop', 'prod', 'ui', '{}');
    const arm = await fetch(`${emu.url}/admin/faults`, {
      method: 'POST',
      body: JSON.stringify({ type: 'throttling', plane: 'control' }),
    });
    expect(arm.status).toBe(200);
    const data = sdkClient(emu.url);
    expect(text(await poll(data, await startSession(data, 'shop', 'prod', 'ui')))).toBe('{}');
    data.destroy();
    const list = () =>
      client.send(new ListDeploymentsCommand({ ApplicationId: 'shop', EnvironmentId: 'prod' }));
    await expect(list()).rejects.toMatchObject({ name: 'ThrottlingException' });
    await expect(list()).resolves.toMatchObject({ Items: [expect.anything()] });
    const bad = await fetch(`${emu.url}/admin/faults`, {
      method: 'POST',
      body: JSON.stringify({ type: 'throttling', plane: 'both' }),
    });
    expect(bad.status).toBe(400);
  });
});
