import { startRedisServer, type RedisServerHandle } from '../../../test/support/redis-server';
import { SERVICE_FLAGS, startFlagService, type RunningFlagService } from './flag-service-harness';

const ADMIN_KEY = 'admin-key-for-the-limit-test-0123';
const env = {
  ADMIN_API_KEYS: ADMIN_KEY,
  WEBHOOK_SECRET_KEY: 'limit-test-secret-key-0123456789',
  WEBHOOK_ALLOW_HTTP: 'true',
  WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
  WEBHOOK_MAX_SUBSCRIPTIONS: '2',
};

const subscribe = (service: RunningFlagService) =>
  fetch(`${service.url}/admin/webhooks/subscriptions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
    body: JSON.stringify({ url: 'http://127.0.0.1:9/hook' }),
  });
const unsubscribe = (service: RunningFlagService, id: string) =>
  fetch(`${service.url}/admin/webhooks/subscriptions/${id}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${ADMIN_KEY}` },
  });

/** Two replicas (one on memory: the same one twice); the limit holds across them. */
async function expectLimit([a, b]: readonly RunningFlagService[]): Promise<void> {
  const first = await subscribe(a);
  expect(first.status).toBe(201);
  expect((await subscribe(b)).status).toBe(201);
  const refused = await subscribe(b);
  expect(refused.status).toBe(409);
  expect(await refused.json()).toEqual({
    type: 'about:blank',
    title: 'Conflict',
    status: 409,
    code: 'FLAGFLEET_WEBHOOK_SUBSCRIPTION_LIMIT',
    detail: expect.stringMatching(/limit reached: 2 subscriptions exist \(WEBHOOK_MAX_SUBSCRIPTIONS\)/),
  });
  expect((await subscribe(a)).status).toBe(409);
  const { subscription } = (await first.json()) as { subscription: { id: string } };
  expect((await unsubscribe(b, subscription.id)).status).toBe(204);
  expect((await subscribe(a)).status).toBe(201);
}

describe('WEBHOOK_MAX_SUBSCRIPTIONS (issue 26)', () => {
  it('memory: the subscription past the limit is refused with 409 and the admin problem body', async () => {
    const service = await startFlagService({ flags: SERVICE_FLAGS }, env);
    try {
      await expectLimit([service, service]);
    } finally {
      await service.close();
    }
  });

  describe('Redis', () => {
    let redis: RedisServerHandle;
    beforeAll(async () => {
      redis = await startRedisServer();
    });
    afterAll(() => redis.stop());

    it('two replicas on one Redis share the limit', async () => {
      const fleet = { ...env, REDIS_URL: redis.url };
      const replicas = [
        await startFlagService({ flags: SERVICE_FLAGS }, fleet),
        await startFlagService({ flags: SERVICE_FLAGS }, fleet),
      ];
      try {
        await expectLimit(replicas);
      } finally {
        await Promise.all(replicas.map((replica) => replica.close()));
      }
    });
  });
});
