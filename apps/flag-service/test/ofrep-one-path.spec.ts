import { request as httpRequest } from 'node:http';
import { SERVICE_FLAGS, startFlagService, type RunningFlagService } from './flag-service-harness';

const API_KEY = 'one-path-test-key-0123456789';
const SINGLE = '/ofrep/v1/evaluate/flags/kill-switch';
const BULK = '/ofrep/v1/evaluate/flags';

interface Seen {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

function post(url: string, path: string, headers: Record<string, string>, body?: string): Promise<Seen> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url + path, { method: 'POST', headers, timeout: 5000 });
    req.on('timeout', () => req.destroy(new Error(`no answer to ${path}`)));
    req.on('response', (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const withKey = { 'x-api-key': API_KEY };

describe('OFREP has one path, the OFREP handler', () => {
  let service: RunningFlagService;
  beforeAll(async () => {
    service = await startFlagService(
      { flags: SERVICE_FLAGS },
      { API_KEYS: API_KEY, BODY_LIMIT_BYTES: '2048' },
    );
  });
  afterAll(() => service?.close());

  // What Fastify + Nest answered when the old fast path handed these requests to them.
  it.each<[string, Record<string, string>, string | undefined, number, string]>([
    [
      'another media type',
      { 'content-type': 'application/xml' },
      '<a/>',
      415,
      '{"key":"kill-switch","errorCode":"GENERAL","errorDetails":"Unsupported Media Type"}',
    ],
    [
      'an invalid media type',
      { 'content-type': 'bogus' },
      'x',
      415,
      '{"key":"kill-switch","errorCode":"GENERAL","errorDetails":"Unsupported Media Type"}',
    ],
    [
      'a body without a media type',
      {},
      'hello',
      415,
      '{"key":"kill-switch","errorCode":"GENERAL","errorDetails":"Unsupported Media Type"}',
    ],
    [
      'no body and no media type (an empty context)',
      {},
      undefined,
      200,
      '{"key":"kill-switch","reason":"STATIC","metadata":{"owner":"ops"},"value":false,"variant":"off"}',
    ],
    [
      'text/plain (read as JSON)',
      { 'content-type': 'text/plain' },
      '{"context":{}}',
      200,
      '{"key":"kill-switch","reason":"STATIC","metadata":{"owner":"ops"},"value":false,"variant":"off"}',
    ],
  ])('answers %s as Fastify did', async (_name, headers, body, status, expected) => {
    const before = service.ofrepServed();
    const seen = await post(service.url, SINGLE, { ...withKey, ...headers }, body);
    expect(seen.status).toBe(status);
    expect(seen.body).toBe(expected);
    expect(seen.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(service.ofrepServed()).toBe(before + 1);
  });

  it('answers a body declared over the limit 413 and closes the connection', async () => {
    const before = service.ofrepServed();
    const seen = await post(
      service.url,
      BULK,
      { ...withKey, 'content-type': 'application/json' },
      JSON.stringify({ context: { blob: 'x'.repeat(3000) } }),
    );
    expect(seen.status).toBe(413);
    expect(seen.body).toBe('{"errorCode":"GENERAL","errorDetails":"Request body is too large"}');
    expect(seen.headers.connection).toBe('close');
    expect(service.ofrepServed()).toBe(before + 1);
  });

  it('leaves what is no OFREP POST route to Fastify', async () => {
    const before = service.ofrepServed();
    const empty = await post(
      service.url,
      BULK + '/',
      { ...withKey, 'content-type': 'application/json' },
      '{}',
    );
    expect(empty.status).toBe(404);
    const get = await fetch(service.url + SINGLE, { headers: withKey });
    expect(get.status).toBe(404);
    expect(service.ofrepServed()).toBe(before);
  });

  it('lists both OFREP routes in the OpenAPI document, with their models', async () => {
    const document = (await (await fetch(`${service.url}/docs-json`)).json()) as {
      paths: Record<string, { post?: { operationId?: string; responses?: Record<string, unknown> } }>;
      components: { schemas: Record<string, unknown> };
    };
    expect(document.paths['/ofrep/v1/evaluate/flags/{key}'].post?.operationId).toBe('evaluateFlag');
    expect(document.paths['/ofrep/v1/evaluate/flags'].post?.operationId).toBe('evaluateFlagsBulk');
    expect(Object.keys(document.paths['/ofrep/v1/evaluate/flags'].post?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '304', '400', '401', '403', '413', '415']),
    );
    expect(Object.keys(document.components.schemas)).toEqual(
      expect.arrayContaining([
        'OfrepEvaluationSuccessDto',
        'OfrepEvaluationFailureDto',
        'OfrepBulkSuccessDto',
      ]),
    );
  });
});

describe('at LOG_LEVEL=debug OFREP keeps its one path and logs every request', () => {
  let service: RunningFlagService;
  beforeAll(async () => {
    service = await startFlagService({ flags: SERVICE_FLAGS }, { LOG_LEVEL: 'debug' });
  });
  afterAll(() => service?.close());

  it('serves on the OFREP handler and writes the request line', async () => {
    const before = service.ofrepServed();
    const seen = await post(service.url, SINGLE + '?probe=1', { 'content-type': 'application/json' }, '{}');
    expect(seen.status).toBe(200);
    expect(service.ofrepServed()).toBe(before + 1);
    const lines = service
      .logs()
      .split('\n')
      .filter((line) => line.includes('"msg":"request"'))
      .map((line) => JSON.parse(line) as { method: string; url: string; status: number; ms: number });
    expect(lines).toContainEqual(
      expect.objectContaining({
        method: 'POST',
        url: SINGLE + '?probe=1',
        status: 200,
        ms: expect.any(Number),
      }),
    );
  });
});
