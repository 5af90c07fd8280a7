import request from 'supertest';
import { startRedisServer, type RedisServerHandle } from '../../../test/support/redis-server';
import { waitFor } from '../../../test/support/wait-for';
import { SERVICE_FLAGS, startFlagService, type RunningFlagService } from './flag-service-harness';

/**
 * A hung Redis (SIGSTOP: its sockets stay open, nothing answers) stalls polling. /status and /metrics must
 * say so — store down, poll cycles failing, the source stale — while evaluation keeps serving, and turn
 * green again once Redis answers.
 */
describe('/status while the config store hangs (real redis-server, SIGSTOP)', () => {
  let redis: RedisServerHandle;
  let service: RunningFlagService;

  beforeAll(async () => {
    redis = await startRedisServer();
    service = await startFlagService({ flags: SERVICE_FLAGS }, { REDIS_URL: redis.url });
  });
  afterAll(async () => {
    redis?.resume();
    await service?.close();
    await redis?.stop();
  });

  const status = async () => (await request(service.url).get('/status').expect(200)).body;
  const metrics = async (): Promise<string> => (await request(service.url).get('/metrics').expect(200)).text;

  it('turns degraded (store down, failures counted, source stale), keeps serving, then recovers', async () => {
    await waitFor(async () => (await status()).sources[0].fleetPolledAt !== null, {
      message: 'a first poll',
    });
    expect(await status()).toMatchObject({
      health: 'ok',
      store: { kind: 'redis', connected: true },
      sources: [{ healthy: true, stale: false, consecutiveFailures: 0 }],
    });
    expect(await metrics()).toMatch(/^flagfleet_store_up 1$/m);

    redis.pause();
    const pausedAt = Date.now();
    try {
      // Embedded polls are due every second: stale once two intervals and a tick pass without one.
      const stalled = await waitFor(
        async () => {
          const body = await status();
          return body.sources[0].stale && body.sources[0].consecutiveFailures >= 2 ? body : null;
        },
        { timeoutMs: 12_000, message: 'a stale, failing source' },
      );
      expect(stalled).toMatchObject({
        ready: true,
        health: 'degraded',
        store: { kind: 'redis', connected: false, detail: expect.stringMatching(/timed out/i) },
        sources: [
          {
            healthy: false,
            stale: true,
            snapshotLoaded: true,
            revision: 1,
            lastError: {
              name: 'StoreUnavailableError',
              message: expect.stringContaining('config store unavailable'),
            },
          },
        ],
      });
      expect(Date.parse(stalled.store.failingSince)).toBeGreaterThanOrEqual(pausedAt - 1000);
      const text = await metrics();
      expect(text).toMatch(/^flagfleet_store_up 0$/m);
      expect(text).toMatch(/^flagfleet_source_stale\{source="local\/local\/flags"\} 1$/m);
      expect(text).toMatch(/^flagfleet_source_consecutive_failures\{source="local\/local\/flags"\} [2-9]/m);
      expect(text).toMatch(
        /^flagfleet_poller_events_total\{source="local\/local\/flags",event="poller_error"\} [1-9]/m,
      );
      const age = /^flagfleet_source_last_poll_age_seconds\{source="local\/local\/flags"\} (\S+)$/m.exec(
        text,
      );
      expect(Number(age?.[1])).toBeGreaterThan(3);
      // Readiness and evaluation are untouched: stale data is still data.
      await request(service.url).get('/health/ready').expect(200);
      await request(service.url)
        .post('/ofrep/v1/evaluate/flags/kill-switch')
        .send({ context: {} })
        .expect(200);
      expect(service.logs()).toContain('poll cycle failed: config store unavailable');
    } finally {
      redis.resume();
    }

    const recovered = await waitFor(
      async () => {
        const body = await status();
        return body.health === 'ok' ? body : null;
      },
      { timeoutMs: 10_000, message: 'healthy again' },
    );
    expect(recovered).toMatchObject({
      store: { connected: true },
      sources: [{ healthy: true, stale: false, consecutiveFailures: 0 }],
    });
    expect(recovered.store).not.toHaveProperty('failingSince');
    expect(await metrics()).toMatch(
      /^flagfleet_poller_events_total\{source="local\/local\/flags",event="poller_recovered"\} [1-9]/m,
    );
  });
});
