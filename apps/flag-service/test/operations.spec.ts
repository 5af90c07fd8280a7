import request from 'supertest';
import { waitFor } from '../../../test/support/wait-for';
import { SERVICE_FLAGS, startFlagService, type RunningFlagService } from './flag-service-harness';

const API_KEY = 'eval-key-0123456789';
const ADMIN_KEY = 'admin-key-9876543210';

describe('operations routes (keys configured)', () => {
  let service: RunningFlagService;

  beforeAll(async () => {
    service = await startFlagService(
      { flags: SERVICE_FLAGS },
      { API_KEYS: `other-key,${API_KEY}`, ADMIN_API_KEYS: ADMIN_KEY, LOG_LEVEL: 'debug' },
    );
  });
  afterAll(() => service?.close());

  const evaluate = () =>
    request(service.url).post('/ofrep/v1/evaluate/flags/kill-switch').send({ context: {} });

  it('answers 401 without a body when no key is presented, 403 without a body for a wrong key', async () => {
    const missing = await evaluate().expect(401);
    expect(missing.text).toBe('');
    expect(missing.headers['www-authenticate']).toBe('Bearer');
    const wrong = await evaluate().set('Authorization', 'Bearer wrong').expect(403);
    expect(wrong.text).toBe('');
    await request(service.url).get('/applications/local/environments/local/configurations/flags').expect(401);
    await request(service.url).post('/ofrep/v1/evaluate/flags').set('X-API-Key', 'nope').send({}).expect(403);
  });

  it('accepts a key as Bearer token or X-API-Key; admin keys do not open evaluation', async () => {
    await evaluate().set('Authorization', `Bearer ${API_KEY}`).expect(200);
    await evaluate().set('X-API-Key', 'other-key').expect(200);
    await evaluate().set('X-API-Key', ADMIN_KEY).expect(403);
  });

  it('guards /status with the admin keys and shows per-source state', async () => {
    await request(service.url).get('/status').expect(401);
    await request(service.url).get('/status').set('X-API-Key', API_KEY).expect(403);
    const status = await request(service.url)
      .get('/status')
      .set('Authorization', `Bearer ${ADMIN_KEY}`)
      .expect(200);
    expect(status.body).toMatchObject({
      ready: true,
      mode: 'embedded',
      store: { kind: 'memory', connected: true },
    });
    expect(status.body.sources).toEqual([
      expect.objectContaining({
        source: 'local/local/flags',
        snapshotLoaded: true,
        revision: 1,
        lastError: null,
        lastPollAt: expect.any(String),
      }),
    ]);
    expect(status.body.sources[0]).toHaveProperty('leaseHolder');
  });

  it('keeps health and metrics open', async () => {
    expect((await request(service.url).get('/health/live').expect(200)).body.status).toBe('ok');
    expect((await request(service.url).get('/health/ready').expect(200)).body.status).toBe('ok');
    await evaluate().set('X-API-Key', API_KEY).expect(200);
    await request(service.url)
      .post('/ofrep/v1/evaluate/flags/unknown-1')
      .set('X-API-Key', API_KEY)
      .send({})
      .expect(404);
    const metrics = await request(service.url).get('/metrics').expect(200);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    expect(metrics.text).toMatch(
      /flagfleet_evaluations_total\{flag="kill-switch",reason="STATIC",protocol="ofrep"\} [1-9]/,
    );
    expect(metrics.text).toMatch(
      /flagfleet_evaluations_total\{flag="__not_found__",reason="FLAG_NOT_FOUND",protocol="ofrep"\} 1/,
    );
    expect(metrics.text).toMatch(
      /flagfleet_evaluation_duration_seconds_bucket\{le="0.001",endpoint="single"\} [1-9]/,
    );
    expect(metrics.text).toMatch(
      /flagfleet_poller_events_total\{source="local\/local\/flags",event="flags_changed"\} 1/,
    );
    expect(metrics.text).toMatch(/flagfleet_snapshot_age_seconds\{source="local\/local\/flags"\} \d/);
    expect(metrics.text).toMatch(/flagfleet_snapshot_revision\{source="local\/local\/flags"\} 1/);
    expect(metrics.text).toContain('flagfleet_webhook_deliveries_total');
  });

  it('never writes a presented key into the logs, even at debug', async () => {
    await evaluate().set('Authorization', `Bearer ${API_KEY}`).expect(200);
    await evaluate().set('X-API-Key', 'a-wrong-secret-key').expect(403);
    expect(service.logs()).toContain('"msg":"request"');
    expect(service.logs()).not.toContain(API_KEY);
    expect(service.logs()).not.toContain('a-wrong-secret-key');
    for (const line of service.logs().trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('publishes an OpenAPI document of every route and the Swagger UI', async () => {
    const doc = await request(service.url).get('/docs-json').expect(200);
    expect(Object.keys(doc.body.paths).sort()).toEqual(
      expect.arrayContaining([
        '/ofrep/v1/evaluate/flags/{key}',
        '/ofrep/v1/evaluate/flags',
        '/applications/{application}/environments/{environment}/configurations/{profile}',
        '/health/live',
        '/health/ready',
        '/status',
        '/metrics',
      ]),
    );
    expect(doc.body.components.securitySchemes).toHaveProperty('ApiKeyAuth');
    const page = await request(service.url).get('/docs').expect(200);
    expect(page.text).toContain('/docs-json');
    await request(service.url)
      .get('/docs/swagger-ui-bundle.js')
      .expect(200)
      .expect('content-type', /javascript/);
    await request(service.url).get('/docs/..%2Fpackage.json').expect(404);
  });

  it('answers unknown routes 404 without a stack trace', async () => {
    const answer = await request(service.url).get('/nope').expect(404);
    expect(answer.body).toMatchObject({ status: 404, detail: 'Cannot GET /nope' });
    expect(answer.text).not.toMatch(/\.(js|ts):\d+/);
  });

  it('answers every error of a non-protocol route as one problem-details body (RFC 9457)', async () => {
    const admin = { authorization: `Bearer ${ADMIN_KEY}` };
    const json = { ...admin, 'content-type': 'application/json' };
    const subscriptions = `${service.url}/admin/webhooks/subscriptions`;
    const cases: [string, Promise<Response>, number, string | undefined][] = [
      [
        'coded',
        fetch(`${subscriptions}/nope`, { headers: admin }),
        404,
        'FLAGFLEET_WEBHOOK_SUBSCRIPTION_NOT_FOUND',
      ],
      [
        'coded 400',
        fetch(subscriptions, { method: 'POST', headers: json, body: '{"url":"http://x"}' }),
        400,
        'FLAGFLEET_WEBHOOK_TARGET_REFUSED',
      ],
      ['bad JSON', fetch(subscriptions, { method: 'POST', headers: json, body: '{bad' }), 400, undefined],
      [
        'media type',
        fetch(subscriptions, {
          method: 'POST',
          headers: { ...admin, 'content-type': 'application/xml' },
          body: '<a/>',
        }),
        415,
        undefined,
      ],
      [
        'too large',
        fetch(subscriptions, { method: 'POST', headers: json, body: 'a'.repeat(2 * 1024 * 1024) }),
        413,
        undefined,
      ],
      [
        'dead letter',
        fetch(`${service.url}/admin/webhooks/dead-letters/x/replay`, { method: 'POST', headers: admin }),
        404,
        'FLAGFLEET_WEBHOOK_DEAD_LETTER_NOT_FOUND',
      ],
      ['no route', fetch(`${service.url}/admin/nothing`, { headers: admin }), 404, undefined],
      [
        'SSE',
        fetch(`${service.url}/events/stream?source=a/b/c`, { headers: { 'x-api-key': API_KEY } }),
        404,
        undefined,
      ],
    ];
    for (const [name, answered, status, code] of cases) {
      const answer = await answered;
      const body = (await answer.json()) as Record<string, unknown>;
      expect({
        name,
        status: answer.status,
        type: answer.headers.get('content-type')?.split(';')[0],
        body,
      }).toEqual({
        name,
        status,
        type: 'application/problem+json',
        body: {
          type: 'about:blank',
          title: expect.any(String),
          status,
          detail: expect.any(String),
          ...(code === undefined ? {} : { code }),
        },
      });
    }
  });
});

describe('a source that never loaded', () => {
  let service: RunningFlagService;

  beforeAll(async () => {
    service = await startFlagService(
      { flags: SERVICE_FLAGS, broken: '{"flags": {"x": {"state": "ON"}}}' },
      {},
      { waitReady: false },
    );
  });
  afterAll(() => service?.close());

  // A source tried and rejected does not hold readiness (issue 23): one bad file must not take a replica out.
  it('stays ready and answers 503 with Retry-After for that source only', async () => {
    await request(service.url).get('/health/ready').expect(200);
    const answer = await request(service.url)
      .post('/ofrep/v1/evaluate/flags/x')
      .set('X-Flagfleet-Source', 'local/local/broken')
      .send({ context: {} })
      .expect(503);
    expect(answer.headers['retry-after']).toBe('1');
    expect(answer.body).toMatchObject({ key: 'x', errorCode: 'GENERAL' });
    await request(service.url)
      .get('/applications/local/environments/local/configurations/broken')
      .expect(503);
    await request(service.url).post('/ofrep/v1/evaluate/flags/kill-switch').send({ context: {} }).expect(200);
    await request(service.url).get('/health/live').expect(200);
  });
});

describe('/status after a rejected document', () => {
  let service: RunningFlagService;

  beforeAll(async () => {
    service = await startFlagService({ flags: SERVICE_FLAGS });
  });
  afterAll(() => service?.close());

  const source = async () => (await request(service.url).get('/status').expect(200)).body.sources[0];

  it('plans the next poll after the last one', async () => {
    for (let sample = 0; sample < 15; sample++) {
      const { lastPollAt, nextPollAt } = await source();
      expect(Date.parse(nextPollAt)).toBeGreaterThan(Date.parse(lastPollAt));
      await new Promise((resolve) => setTimeout(resolve, 97));
    }
  });

  it('shows the rejection, its problem codes and the revision that keeps serving, until a valid one', async () => {
    const deployedAt = Date.now();
    await service.writeFlags('flags', { flags: { x: { state: 'ON', variants: {} } } });
    const rejected = await waitFor(async () => ((await source()).rejection ? source() : null), {
      timeoutMs: 10_000,
      message: 'the rejection on /status',
    });
    expect(rejected).toMatchObject({
      healthy: false,
      revision: 1,
      consecutiveFailures: 0,
      rejection: {
        servingRevision: 1,
        problemCodes: expect.arrayContaining([expect.stringMatching(/^FLAGFLEET_/)]),
      },
      lastError: { name: 'ConfigRejected' },
    });
    expect(Date.parse(rejected.rejection.at)).toBeGreaterThanOrEqual(deployedAt - 1000);
    expect(rejected.lastError.message).toContain('revision 1 keeps serving');

    await service.writeFlags('flags', SERVICE_FLAGS);
    const recovered = await waitFor(async () => ((await source()).healthy ? source() : null), {
      timeoutMs: 10_000,
      message: 'healthy again',
    });
    expect(recovered).toMatchObject({ rejection: null, lastError: null, revision: 1 });
  });
});
