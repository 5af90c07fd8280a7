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
const ION = 'application/ion; type=AWS.AppConfig.FeatureFlags';

/**
 * An AppConfig authoring document deployed to the emulator, polled through the real AWS SDK (which asks for the
 * Ion format), evaluated by the service: rejections name their problem and the last good document keeps serving.
 */
describe('AppConfig feature-flag profiles through the emulator and the AWS SDK', () => {
  let emulator: RunningEmulator;
  let service: RunningFlagService;
  useEmulatorCredentials();

  beforeAll(async () => {
    emulator = await startAppConfigEmulator({ port: 0, pollIntervalSeconds: 1 });
    emulator.deploy('shop', 'prod', 'ui', EXAMPLE, 'application/json', 'v1');
    service = await startFlagService(
      {},
      { APPCONFIG_SOURCES: 'shop/prod/ui', APPCONFIG_ENDPOINT: emulator.url },
    );
  });
  afterAll(async () => {
    await service?.close();
    await emulator?.close();
  });

  const qa = async (): Promise<unknown> =>
    (await request(service.url).get(AGENT).set('Context', 'email=jo@qa-testers.mycompany.com').expect(200))
      .body;
  const source = async () => (await request(service.url).get('/status').expect(200)).body.sources[0];

  it('serves the variants, which only the Ion format carries', async () => {
    expect(await qa()).toEqual({ ui_refresh: { _variant: 'QA', dark_mode_support: true, enabled: true } });
    const ofrep = await request(service.url)
      .post('/ofrep/v1/evaluate/flags/ui_refresh')
      .send({ context: { opted_in_to_beta: true } })
      .expect(200);
    expect(ofrep.body).toMatchObject({ value: true, variant: 'Beta Testers', reason: 'TARGETING_MATCH' });
  });

  it.each([
    [
      'a malformed authoring document',
      JSON.stringify({ version: '1', flags: { BadKey: { name: 'x' } }, values: {} }),
      'application/json',
      'FLAGFLEET_APPCONFIG_INVALID_KEY',
    ],
    [
      'an authoring document with a bad rule',
      EXAMPLE.replace('(exists key::\\"opted_in_to_beta\\")', '(exists key::\\"opted_in_to_beta\\"'),
      'application/json',
      'FLAGFLEET_APPCONFIG_RULE_SYNTAX',
    ],
    [
      'an Ion document with a bad rule',
      `'ui_refresh'::[[(like $email "x"), '''{"_variant":"QA","enabled":true}'''], '''{"_variant":"D","enabled":false}''']`,
      ION,
      'FLAGFLEET_APPCONFIG_RULE_INVALID',
    ],
  ])(
    'rejects %s with a named problem while the previous document keeps serving',
    async (_name, content, type, code) => {
      const before = (await source()).revision;
      emulator.deploy('shop', 'prod', 'ui', content, type);
      const rejected = await waitFor(
        async () => {
          const state = await source();
          return state.rejection?.problemCodes?.includes(code) ? state : null;
        },
        { timeoutMs: 15_000, message: `a rejection with ${code}` },
      );
      expect(rejected.rejection.servingRevision).toBe(before);
      expect(await qa()).toEqual({ ui_refresh: { _variant: 'QA', dark_mode_support: true, enabled: true } });
      emulator.deploy('shop', 'prod', 'ui', EXAMPLE, 'application/json');
      await waitFor(async () => ((await source()).rejection === null ? true : null), {
        timeoutMs: 15_000,
        message: 'the good document served again',
      });
    },
  );
});
