import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import request from 'supertest';
import { startAppConfigEmulator, type RunningEmulator } from '@flagfleet/appconfig-emulator';
import { waitFor } from '../../../test/support/wait-for';
import { startFlagService, useEmulatorCredentials, type RunningFlagService } from './flag-service-harness';

const EXAMPLE = readFileSync(
  resolve(__dirname, '../../../libs/flag-engine/test/fixtures/aws-ui-refresh.json'),
  'utf8',
);
const AGENT = '/applications/shop/environments/prod/configurations/ui';

/**
 * APPCONFIG_FEATURE_FLAG_RULES=hosted: after the data plane reports a change, the service reads the deployed
 * hosted configuration version (ListDeployments, GetHostedConfigurationVersion) through the real AWS SDK from
 * the emulator, and evaluates that authoring document; a control-plane failure keeps the last good one.
 */
describe('feature-flag rules from the hosted configuration version', () => {
  let emulator: RunningEmulator;
  let service: RunningFlagService;
  useEmulatorCredentials();

  const admin = (path: string, method: string, body: string, type = 'application/json') =>
    fetch(`${emulator.url}/admin/${path}`, { method, body, headers: { 'content-type': type } }).then(
      (answer) => expect(answer.status).toBe(200),
    );
  const deploy = (content: string) =>
    admin('applications/shop/environments/prod/configurations/ui', 'PUT', content);
  const variantFor = async (email: string): Promise<unknown> =>
    (await request(service.url).get(AGENT).set('Context', `email=${email}`).expect(200)).body;
  const source = async () => (await request(service.url).get('/status').expect(200)).body.sources[0];

  beforeAll(async () => {
    emulator = await startAppConfigEmulator({ port: 0, pollIntervalSeconds: 1 });
    await deploy(EXAMPLE);
    service = await startFlagService(
      {},
      {
        APPCONFIG_SOURCES: 'shop/prod/ui',
        APPCONFIG_ENDPOINT: emulator.url,
        APPCONFIG_FEATURE_FLAG_RULES: 'hosted',
      },
    );
  });
  afterAll(async () => {
    await service?.close();
    await emulator?.close();
  });

  it('gives the documented variant per context', async () => {
    expect(await variantFor('jo@qa-testers.mycompany.com')).toEqual({
      ui_refresh: { _variant: 'QA', dark_mode_support: true, enabled: true },
    });
    const ofrep = await request(service.url)
      .post('/ofrep/v1/evaluate/flags/ui_refresh')
      .send({ context: { opted_in_to_beta: true } })
      .expect(200);
    expect(ofrep.body).toMatchObject({ value: true, variant: 'Beta Testers', reason: 'TARGETING_MATCH' });
    expect((await request(service.url).get(AGENT).expect(200)).body).toEqual({
      ui_refresh: { _variant: 'Default Variant', enabled: false },
    });
    // One read of the control plane for the one change, however many polls since.
    await waitFor(async () => (emulator.stats().getLatestConfiguration >= 3 ? true : null), {
      timeoutMs: 10_000,
      message: 'further polls',
    });
    expect(emulator.stats()).toMatchObject({ listDeployments: 1, getHostedConfigurationVersion: 1 });
  });

  it('keeps the last good document while the control plane fails, then serves the new one', async () => {
    const qa = 'jo@qa-testers.mycompany.com';
    await admin('faults', 'POST', JSON.stringify({ type: 'internal-error', plane: 'control', count: 2 }));
    await deploy(EXAMPLE.replace('"name": "QA"', '"name": "QA v2"'));
    const failing = await waitFor(
      async () => {
        const state = await source();
        return state.lastError?.name === 'InternalServerException' ? state : null;
      },
      { timeoutMs: 15_000, message: 'the control-plane failure reported' },
    );
    expect(failing.healthy).toBe(false);
    expect(await variantFor(qa)).toMatchObject({ ui_refresh: { _variant: 'QA' } });
    await waitFor(
      async () =>
        ((await variantFor(qa)) as { ui_refresh: { _variant: string } }).ui_refresh._variant === 'QA v2' ||
        null,
      { timeoutMs: 20_000, message: 'the new hosted version served after the retry' },
    );
    expect((await source()).healthy).toBe(true);
  });
});
