import request from 'supertest';
import { startAppConfigEmulator, type RunningEmulator } from '@flagfleet/appconfig-emulator';
import { waitFor } from '../../../test/support/wait-for';
import { status } from '@grpc/grpc-js';
import { FlagdGrpcClient, StreamReader } from './flagd-grpc-client';
import {
  SERVICE_FLAGS,
  startFlagService,
  useEmulatorCredentials,
  type RunningFlagService,
} from './flag-service-harness';

const SETTINGS_YAML = 'timeouts:\n  checkout: 3s\n';

/**
 * A service polling `sources` of an emulator that serves what `deploy` puts there first; `waitReady: false` for a
 * source that does not load yet. The two are the describe's, started before its tests and closed after.
 */
function usePolledService(sources: string, deploy: (emulator: RunningEmulator) => void, waitReady = true) {
  const running = {} as { emulator: RunningEmulator; service: RunningFlagService };
  useEmulatorCredentials();
  beforeAll(async () => {
    running.emulator = await startAppConfigEmulator({ port: 0, pollIntervalSeconds: 1 });
    deploy(running.emulator);
    running.service = await startFlagService(
      {},
      { APPCONFIG_SOURCES: sources, APPCONFIG_ENDPOINT: running.emulator.url },
      { waitReady },
    );
  });
  afterAll(async () => {
    await running.service?.close();
    await running.emulator?.close();
  });
  return running;
}

/** APPCONFIG_SOURCES mode: the service polls an AppConfigData endpoint (the emulator) instead of FLAGS_DIR. */
describe('polling AppConfig sources', () => {
  const running = usePolledService('shop/prod/flags, shop/prod/settings', (emulator) => {
    emulator.deploy('shop', 'prod', 'flags', JSON.stringify(SERVICE_FLAGS), 'application/json', 'v1');
    emulator.deploy('shop', 'prod', 'settings', SETTINGS_YAML, 'application/x-yaml', 'settings-7');
  });

  it('evaluates the first source by default and reports its version label', async () => {
    const answer = await request(running.service.url)
      .post('/ofrep/v1/evaluate/flags')
      .send({ context: {} })
      .expect(200);
    expect(answer.body.metadata).toEqual({ source: 'shop/prod/flags', revision: 1, version: 'v1' });
  });

  it('serves a freeform profile raw through the agent endpoint, with its content type and version', async () => {
    const answer = await request(running.service.url)
      .get('/applications/shop/environments/prod/configurations/settings')
      .expect(200);
    expect(answer.headers['content-type']).toMatch(/^application\/x-yaml/);
    expect(answer.headers['configuration-version']).toBe('settings-7');
    expect(answer.text ?? answer.body.toString()).toBe(SETTINGS_YAML);
    await request(running.service.url)
      .get('/applications/shop/environments/prod/configurations/settings?flag=x')
      .expect(400);
  });

  it('refuses OFREP evaluation of a non-flag source with 400 GENERAL', async () => {
    const answer = await request(running.service.url)
      .post('/ofrep/v1/evaluate/flags/x')
      .set('X-Flagfleet-Source', 'shop/prod/settings')
      .send({ context: {} })
      .expect(400);
    expect(answer.body).toMatchObject({ key: 'x', errorCode: 'GENERAL' });
  });

  it("flagd refuses to sync a non-flag source in the evaluation port's one wording, and follows its changes", async () => {
    const settings = 'shop/prod/settings';
    const ofrep = await request(running.service.url)
      .post('/ofrep/v1/evaluate/flags')
      .set('X-Flagfleet-Source', settings)
      .send({ context: {} })
      .expect(400);
    const sync = FlagdGrpcClient.sync(running.service.flagdSync);
    const v2 = FlagdGrpcClient.evaluationV2(running.service.flagdEvaluation);
    try {
      const refused = await sync.status('FetchAllFlags', {}, { 'flagd-selector': settings });
      // The sentence is the port's, as OFREP's: flagd prefixes what a bad selector is.
      expect(refused).toEqual({
        code: status.INVALID_ARGUMENT,
        details: `invalid selector: ${ofrep.body.errorDetails}`,
      });
      expect(refused.details).toBe(
        `invalid selector: source ${settings} is not a flag document (application/x-yaml)`,
      );
      const syncFlags = new StreamReader(sync.stream('SyncFlags', {}, { 'flagd-selector': settings }));
      await waitFor(() => syncFlags.ended !== undefined, { timeoutMs: 5_000, message: 'SyncFlags refused' });
      expect(syncFlags.ended).toMatchObject({ code: status.INVALID_ARGUMENT, details: refused.details });
      // An event stream follows a source whatever it holds: its loads are changes.
      const events = new StreamReader(v2.stream('EventStream', {}, { 'flagd-selector': settings }));
      expect(await events.next()).toMatchObject({ type: 'provider_ready' });
      events.stream.cancel();
    } finally {
      sync.close();
      v2.close();
    }
  });

  it('picks up a deployment within a poll interval', async () => {
    const edited = structuredClone(SERVICE_FLAGS);
    edited.flags['retry-limit'].defaultVariant = 'high';
    running.emulator.deploy('shop', 'prod', 'flags', JSON.stringify(edited), 'application/json', 'v2');
    const answer = await waitFor(
      async () => {
        const reply = await request(running.service.url)
          .post('/ofrep/v1/evaluate/flags/retry-limit')
          .send({ context: {} });
        return reply.body.value === 10 ? reply : undefined;
      },
      { timeoutMs: 6000, intervalMs: 100, message: 'deployment v2' },
    );
    expect(answer?.status).toBe(200);
    const status = await request(running.service.url).get('/status').expect(200);
    expect(status.body.mode).toBe('appconfig');
    expect(status.body.sources[0]).toMatchObject({
      source: 'shop/prod/flags',
      versionLabel: 'v2',
      revision: 2,
    });
  });
});

/** Issue 22's start-up race: an in-process provider connecting while its source has not loaded yet. */
describe('a SyncFlags stream opened before its source has loaded', () => {
  const running = usePolledService(
    'shop/prod/flags, shop/prod/later',
    (emulator) =>
      emulator.deploy('shop', 'prod', 'flags', JSON.stringify(SERVICE_FLAGS), 'application/json', 'v1'),
    false,
  );

  it('waits for the first load and sends it (it ended UNAVAILABLE at once)', async () => {
    const sync = FlagdGrpcClient.sync(running.service.flagdSync);
    try {
      const openSyncStreams = async () => {
        const metrics = await request(running.service.url).get('/metrics').expect(200);
        return Number(/flagfleet_flagd_open_streams\{stream="sync"\} (\d+)/.exec(metrics.text)?.[1] ?? 0);
      };
      const stream = new StreamReader(sync.stream('SyncFlags', {}, { 'flagd-selector': 'shop/prod/later' }));
      // Deployed only once the stream is open on the server: it was opened before the load.
      await waitFor(async () => stream.ended !== undefined || (await openSyncStreams()) === 1, {
        timeoutMs: 5_000,
        message: 'the SyncFlags stream to open',
      });
      expect(stream.ended).toBeUndefined();
      running.emulator.deploy(
        'shop',
        'prod',
        'later',
        JSON.stringify(SERVICE_FLAGS),
        'application/json',
        'v1',
      );
      const first = await stream.next(10_000);
      expect(Object.keys(JSON.parse(String(first.flagConfiguration)).flags)).toEqual(
        Object.keys(SERVICE_FLAGS.flags),
      );
      stream.stream.cancel();
    } finally {
      sync.close();
    }
  });
});
