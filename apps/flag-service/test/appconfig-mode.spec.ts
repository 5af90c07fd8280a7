import request from 'supertest';
import { startAppConfigEmulator, type RunningEmulator } from '@flagfleet/appconfig-emulator';
import { waitFor } from '../../../test/support/wait-for';
import {
  SERVICE_FLAGS,
  startFlagService,
  useEmulatorCredentials,
  type RunningFlagService,
} from './flag-service-harness';

const SETTINGS_YAML = 'timeouts:\n  checkout: 3s\n';

/** APPCONFIG_SOURCES mode: the service polls an AppConfigData endpoint (the emulator) instead of FLAGS_DIR. */
describe('polling AppConfig sources', () => {
  let emulator: RunningEmulator;
  let service: RunningFlagService;

  useEmulatorCredentials();

  beforeAll(async () => {
    emulator = await startAppConfigEmulator({ port: 0, pollIntervalSeconds: 1 });
    emulator.deploy('shop', 'prod', 'flags', JSON.stringify(SERVICE_FLAGS), 'application/json', 'v1');
    emulator.deploy('shop', 'prod', 'settings', SETTINGS_YAML, 'application/x-yaml', 'settings-7');
    service = await startFlagService(
      {},
      { APPCONFIG_SOURCES: 'shop/prod/flags, shop/prod/settings', APPCONFIG_ENDPOINT: emulator.url },
    );
  });
  afterAll(async () => {
    await service?.close();
    await emulator?.close();
  });

  it('evaluates the first source by default and reports its version label', async () => {
    const answer = await request(service.url)
      .post('/ofrep/v1/evaluate/flags')
      .send({ context: {} })
      .expect(200);
    expect(answer.body.metadata).toEqual({ source: 'shop/prod/flags', revision: 1, version: 'v1' });
  });

  it('serves a freeform profile raw through the agent endpoint, with its content type and version', async () => {
    const answer = await request(service.url)
      .get('/applications/shop/environments/prod/configurations/settings')
      .expect(200);
    expect(answer.headers['content-type']).toMatch(/^application\/x-yaml/);
    expect(answer.headers['configuration-version']).toBe('settings-7');
    expect(answer.text ?? answer.body.toString()).toBe(SETTINGS_YAML);
    await request(service.url)
      .get('/applications/shop/environments/prod/configurations/settings?flag=x')
      .expect(400);
  });

  it('refuses OFREP evaluation of a non-flag source with 400 GENERAL', async () => {
    const answer = await request(service.url)
      .post('/ofrep/v1/evaluate/flags/x')
      .set('X-Flagfleet-Source', 'shop/prod/settings')
      .send({ context: {} })
      .expect(400);
    expect(answer.body).toMatchObject({ key: 'x', errorCode: 'GENERAL' });
  });

  it('picks up a deployment within a poll interval', async () => {
    const edited = structuredClone(SERVICE_FLAGS);
    edited.flags['retry-limit'].defaultVariant = 'high';
    emulator.deploy('shop', 'prod', 'flags', JSON.stringify(edited), 'application/json', 'v2');
    const answer = await waitFor(
      async () => {
        const reply = await request(service.url)
          .post('/ofrep/v1/evaluate/flags/retry-limit')
          .send({ context: {} });
        return reply.body.value === 10 ? reply : undefined;
      },
      { timeoutMs: 6000, intervalMs: 100, message: 'deployment v2' },
    );
    expect(answer?.status).toBe(200);
    const status = await request(service.url).get('/status').expect(200);
    expect(status.body.mode).toBe('appconfig');
    expect(status.body.sources[0]).toMatchObject({
      source: 'shop/prod/flags',
      versionLabel: 'v2',
      revision: 2,
    });
  });
});
