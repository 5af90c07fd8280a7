import { request as httpRequest } from 'node:http';
import {
  APPCONFIG_FLAGS,
  SERVICE_FLAGS,
  startFlagService,
  type RunningFlagService,
} from './flag-service-harness';

const API_KEY = 'paths-test-key-0123456789';
const SINGLE = '/ofrep/v1/evaluate/flags/';
const BULK = '/ofrep/v1/evaluate/flags';

interface Exchange {
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** Sent with Transfer-Encoding: chunked, in two writes (no declared length). */
  readonly chunked?: boolean;
}

/** What a client sees of an answer, minus what differs by time (`date`) or by design of the framework. */
interface Seen {
  readonly status: number;
  readonly headers: Record<string, string | undefined>;
  readonly body: string;
}

const COMPARED_HEADERS = ['content-type', 'content-length', 'etag', 'www-authenticate', 'retry-after'];

function exchange(url: string, sent: Exchange): Promise<Seen> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...sent.headers };
    if (sent.chunked) headers['transfer-encoding'] = 'chunked';
    const req = httpRequest(url + sent.path, { method: 'POST', headers });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: Object.fromEntries(COMPARED_HEADERS.map((name) => [name, res.headers[name] as string])),
          body,
        }),
      );
    });
    req.on('error', reject);
    const body = sent.body ?? '';
    if (sent.chunked) {
      req.write(body.slice(0, body.length >> 1));
      req.end(body.slice(body.length >> 1));
    } else req.end(body);
  });
}

const withKey = { 'x-api-key': API_KEY };
const context = (value: unknown): string => JSON.stringify({ context: value });

// Every request the fast path takes, or hands on: the two paths must answer each byte for byte.
const EXCHANGES: Array<[string, Exchange]> = [
  ['a static flag', { path: SINGLE + 'kill-switch', headers: withKey, body: context({ targetingKey: 'u' }) }],
  [
    'a targeted flag',
    { path: SINGLE + 'new-checkout', headers: withKey, body: context({ email: 'a@flagfleet.dev' }) },
  ],
  ['a percent-encoded key', { path: SINGLE + 'kill%2Dswitch', headers: withKey, body: context({}) }],
  ['an unknown flag', { path: SINGLE + 'nope', headers: withKey, body: context({}) }],
  ['a flag whose rule fails', { path: SINGLE + 'broken-rule', headers: withKey, body: context({}) }],
  ['a disabled flag', { path: SINGLE + 'legacy-ui', headers: withKey, body: context({}) }],
  ['bulk', { path: BULK, headers: withKey, body: context({ targetingKey: 'u', plan: 'pro' }) }],
  [
    'bulk of another source',
    { path: BULK, headers: { ...withKey, 'x-flagfleet-source': 'local/local/appflags' }, body: context({}) },
  ],
  [
    'an unknown source',
    {
      path: SINGLE + 'kill-switch',
      headers: { ...withKey, 'x-flagfleet-source': 'no/such/source' },
      body: context({}),
    },
  ],
  ['an empty body', { path: SINGLE + 'kill-switch', headers: withKey, body: '' }],
  ['malformed JSON', { path: SINGLE + 'kill-switch', headers: withKey, body: '{"context": {' }],
  ['malformed JSON, bulk', { path: BULK, headers: withKey, body: '{"context": {' }],
  [
    'a __proto__ key',
    { path: SINGLE + 'kill-switch', headers: withKey, body: '{"context":{"__proto__":{"x":1}}}' },
  ],
  [
    'a body nested too deep',
    { path: BULK, headers: withKey, body: '{"context":{"a":' + '['.repeat(20) + ']'.repeat(20) + '}}' },
  ],
  ['a context that is not an object', { path: SINGLE + 'kill-switch', headers: withKey, body: context(5) }],
  [
    'a declared body over the limit',
    { path: SINGLE + 'kill-switch', headers: withKey, body: context({ blob: 'x'.repeat(4096) }) },
  ],
  [
    'a chunked body over the limit',
    { path: BULK, headers: withKey, body: context({ blob: 'x'.repeat(4096) }), chunked: true },
  ],
  [
    'a chunked body over the limit, single flag',
    {
      path: SINGLE + 'kill-switch',
      headers: withKey,
      body: context({ blob: 'x'.repeat(4096) }),
      chunked: true,
    },
  ],
  [
    'a chunked body',
    { path: SINGLE + 'kill-switch', headers: withKey, body: context({ targetingKey: 'u' }), chunked: true },
  ],
  [
    'JSON with a charset',
    {
      path: SINGLE + 'kill-switch',
      headers: { ...withKey, 'content-type': 'application/json; charset=utf-8' },
      body: context({}),
    },
  ],
  [
    'another content type (handed to Fastify)',
    {
      path: SINGLE + 'kill-switch',
      headers: { ...withKey, 'content-type': 'application/xml' },
      body: '<context/>',
    },
  ],
  ['no key', { path: SINGLE + 'kill-switch', body: context({}) }],
  ['a wrong key', { path: BULK, headers: { 'x-api-key': 'a-wrong-key-0123456789' }, body: context({}) }],
  ['a Bearer key', { path: BULK, headers: { authorization: `Bearer ${API_KEY}` }, body: context({}) }],
];

describe('OFREP fast path and Nest controller answer alike', () => {
  let fast: RunningFlagService;
  let nest: RunningFlagService;

  beforeAll(async () => {
    const env = { API_KEYS: API_KEY, BODY_LIMIT_BYTES: '2048', JSON_MAX_DEPTH: '8' };
    const profiles = { flags: SERVICE_FLAGS, appflags: APPCONFIG_FLAGS };
    [fast, nest] = await Promise.all([
      startFlagService(profiles, { ...env, OFREP_FAST_PATH: 'true' }),
      startFlagService(profiles, { ...env, OFREP_FAST_PATH: 'false' }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([fast?.close(), nest?.close()]);
  });

  it.each(EXCHANGES)('%s', async (_name, sent) => {
    const [fromFast, fromNest] = await Promise.all([exchange(fast.url, sent), exchange(nest.url, sent)]);
    // Bulk ETags carry the revision, the same in both services (each loaded its documents once).
    expect(fromFast).toEqual(fromNest);
  });

  it('answers 304 alike for a matching If-None-Match', async () => {
    const sent = { path: BULK, headers: withKey, body: context({ targetingKey: 'u' }) };
    const { headers } = await exchange(fast.url, sent);
    const again = { ...sent, headers: { ...withKey, 'if-none-match': headers.etag! } };
    const [fromFast, fromNest] = await Promise.all([exchange(fast.url, again), exchange(nest.url, again)]);
    expect(fromFast.status).toBe(304);
    expect(fromFast).toEqual(fromNest);
  });
});
