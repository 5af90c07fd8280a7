import { waitFor } from '../../../test/support/wait-for';
import { SERVICE_FLAGS, startFlagService, type RunningFlagService } from './flag-service-harness';

/**
 * Issue 26: at LOG_LEVEL=debug a URL with `?api_key=` was logged verbatim. The real service (in process, its
 * log lines captured) is sent credentials in every place a URL carries them, on every route kind and
 * answer; none of them appears in a line, a delivery record, a dead letter or `/status`.
 */

const EVALUATION_KEY = 'redaction-evaluation-key-0123456789';
const ADMIN_KEY = 'redaction-admin-key-0123456789abcd';

let service: RunningFlagService;

beforeAll(async () => {
  service = await startFlagService(
    { flags: SERVICE_FLAGS },
    {
      LOG_LEVEL: 'debug',
      API_KEYS: EVALUATION_KEY,
      ADMIN_API_KEYS: ADMIN_KEY,
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      WEBHOOK_RETRY_SCHEDULE_MS: '0',
    },
  );
});
afterAll(() => service?.close());

const call = async (
  method: string,
  path: string,
  key: string | null,
  body?: string,
): Promise<{ status: number; text: string }> => {
  const headers: Record<string, string> = key === null ? {} : { authorization: `Bearer ${key}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const aborted = new AbortController();
  const answer = await fetch(`${service.url}${path}`, { method, headers, body, signal: aborted.signal });
  if (answer.headers.get('content-type')?.startsWith('text/event-stream')) {
    aborted.abort();
    return { status: answer.status, text: '' };
  }
  return { status: answer.status, text: await answer.text() };
};

describe('credentials in URLs never reach the logs (issue 26, LOG_LEVEL=debug)', () => {
  it('request lines keep method, path and harmless parameters and hide every credential parameter', async () => {
    const context = '{"context":{}}';
    const requests: Array<[string, string, string | null, number, string?]> = [
      ['POST', '/ofrep/v1/evaluate/flags/kill-switch?api_key=leak-ofrep-1', EVALUATION_KEY, 200, context],
      ['POST', '/ofrep/v1/evaluate/flags?token=leak-bulk-2&x=1', EVALUATION_KEY, 200, context],
      ['POST', '/ofrep/v1/evaluate/flags?API-Key=leak-bulk-3', null, 401, context],
      [
        'GET',
        '/applications/local/environments/local/configurations/flags?flag=kill-switch&access_token=leak-agent-4',
        EVALUATION_KEY,
        200,
      ],
      ['GET', '/status?signature=leak-status-5', EVALUATION_KEY, 403],
      ['GET', '/admin/webhooks/subscriptions?sig=leak-admin-6', ADMIN_KEY, 200],
      ['GET', '/health/ready?api%5Fkey=leak-encoded-7', null, 200],
      ['GET', '/no/such/route?password=leak-404-8', null, 404],
      ['GET', '/events/stream?source=local/local/flags&key=leak-sse-9', EVALUATION_KEY, 200],
      ['POST', '/admin/webhooks/subscriptions?client_secret=leak-400-10', ADMIN_KEY, 400, '{'],
    ];
    for (const [method, path, key, status, body] of requests)
      expect([path, (await call(method, path, key, body)).status]).toEqual([path, status]);
    const logs = service.logs();
    expect(logs).not.toMatch(/leak-/);
    // The lines were written, with what is not a credential.
    expect(logs).toContain('"url":"/ofrep/v1/evaluate/flags/kill-switch?api_key=***"');
    expect(logs).toContain('"url":"/ofrep/v1/evaluate/flags?token=***&x=1"');
    expect(logs).toContain('configurations/flags?flag=kill-switch&access_token=***"');
    expect(logs).toContain('"url":"/health/ready?api%5Fkey=***"');
    expect(logs).toContain('"url":"/no/such/route?password=***"');
  });

  it('webhook targets: a credential in the URL appears in no line, attempt, dead letter or /status', async () => {
    const created = await call(
      'POST',
      '/admin/webhooks/subscriptions',
      ADMIN_KEY,
      JSON.stringify({ url: 'http://127.0.0.1:9/hook?token=leak-webhook-11&team=a' }),
    );
    expect(created.status).toBe(201);
    const { subscription } = JSON.parse(created.text) as { subscription: { id: string } };
    // A ping nobody answers (logged: no answer), then a deploy whose delivery is dead-lettered.
    expect(
      (await call('POST', `/admin/webhooks/subscriptions/${subscription.id}/test`, ADMIN_KEY)).status,
    ).toBe(200);
    await service.writeFlags('flags', {
      flags: {
        ...SERVICE_FLAGS.flags,
        added: { state: 'ENABLED', variants: { on: true }, defaultVariant: 'on' },
      },
    });
    const letters = await waitFor(
      async () => {
        const answer = await call('GET', '/admin/webhooks/dead-letters', ADMIN_KEY);
        return answer.text.includes(subscription.id) ? answer.text : undefined;
      },
      { timeoutMs: 10_000, message: 'the dead-lettered delivery' },
    );
    const attempts = (
      await call('GET', `/admin/webhooks/subscriptions/${subscription.id}/deliveries`, ADMIN_KEY)
    ).text;
    const status = (await call('GET', '/status', ADMIN_KEY)).text;
    expect(attempts).toContain('connection refused');
    expect(service.logs()).toContain('got no answer');
    for (const [where, text] of Object.entries({ logs: service.logs(), letters, attempts, status }))
      expect([where, text]).not.toEqual([where, expect.stringContaining('leak-webhook')]);
  });
});
