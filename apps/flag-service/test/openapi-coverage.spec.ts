import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { waitFor } from '../../../test/support/wait-for';
import { conformancePath } from '../../../test/support/conformance';
import { OFREP_ROUTES } from '../src/http/ofrep-routes';
import { ofrepValidators } from './ofrep-contract';
import { SERVICE_FLAGS, startFlagService, type RunningFlagService } from './flag-service-harness';

/**
 * The OpenAPI document cannot drift from the service (issue 23): every route the service registers is in
 * `/docs-json`, and each status a route answers — drawn here by a real request (no key, the other scope's
 * key, a bad body, an unknown id, a body over the limit, a source not loaded…) — is documented for that
 * route, with the media type sent and a schema the body actually sent validates against (ajv). OFREP's
 * answers are also checked against the OFREP contract wherever it defines the status.
 */

const EVALUATION_KEY = 'openapi-coverage-evaluation-key-0123';
const ADMIN_KEY = 'openapi-coverage-admin-key-0123456789';
const BODY_LIMIT = 2048;
const OVERSIZED = JSON.stringify({ context: { padding: 'x'.repeat(BODY_LIMIT) } });

type Scope = 'evaluation' | 'admin' | 'open';

/** Every route the service serves, with a concrete URL and the key scope it needs. */
const ROUTES: Record<string, { readonly url: string; readonly scope: Scope }> = {
  'POST /ofrep/v1/evaluate/flags/{key}': { url: '/ofrep/v1/evaluate/flags/kill-switch', scope: 'evaluation' },
  'POST /ofrep/v1/evaluate/flags': { url: '/ofrep/v1/evaluate/flags', scope: 'evaluation' },
  'GET /applications/{application}/environments/{environment}/configurations/{profile}': {
    url: '/applications/local/environments/local/configurations/flags',
    scope: 'evaluation',
  },
  'GET /events/stream': { url: '/events/stream', scope: 'evaluation' },
  'GET /health/live': { url: '/health/live', scope: 'open' },
  'GET /health/ready': { url: '/health/ready', scope: 'open' },
  'GET /metrics': { url: '/metrics', scope: 'open' },
  'GET /status': { url: '/status', scope: 'admin' },
  'POST /admin/webhooks/subscriptions': { url: '/admin/webhooks/subscriptions', scope: 'admin' },
  'GET /admin/webhooks/subscriptions': { url: '/admin/webhooks/subscriptions', scope: 'admin' },
  'GET /admin/webhooks/subscriptions/{id}': { url: '/admin/webhooks/subscriptions/:sub', scope: 'admin' },
  'PATCH /admin/webhooks/subscriptions/{id}': { url: '/admin/webhooks/subscriptions/:sub', scope: 'admin' },
  'DELETE /admin/webhooks/subscriptions/{id}': { url: '/admin/webhooks/subscriptions/:dead', scope: 'admin' },
  'POST /admin/webhooks/subscriptions/{id}/rotate-secret': {
    url: '/admin/webhooks/subscriptions/:sub/rotate-secret',
    scope: 'admin',
  },
  'POST /admin/webhooks/subscriptions/{id}/test': {
    url: '/admin/webhooks/subscriptions/:sub/test',
    scope: 'admin',
  },
  'GET /admin/webhooks/subscriptions/{id}/deliveries': {
    url: '/admin/webhooks/subscriptions/:sub/deliveries',
    scope: 'admin',
  },
  'GET /admin/webhooks/dead-letters': { url: '/admin/webhooks/dead-letters', scope: 'admin' },
  'POST /admin/webhooks/dead-letters/{deliveryId}/replay': {
    url: '/admin/webhooks/dead-letters/:letter/replay',
    scope: 'admin',
  },
};

/** Registered but deliberately not in the document: the documentation UI itself (DocsController). */
const UNDOCUMENTED = new Set(['GET /docs', 'GET /docs/{asset}']);

/** Documented statuses no request here draws, each with why it cannot be drawn in this test. */
const NOT_DRAWN: Record<string, string> = {
  'POST /ofrep/v1/evaluate/flags/{key} 500': 'an unexpected failure (the contract’s generalErrorResponse)',
  'POST /ofrep/v1/evaluate/flags 500': 'an unexpected failure (the contract’s generalErrorResponse)',
  'GET /events/stream 503':
    'SSE_MAX_STREAMS streams open (drawn by stream-caps.spec.ts, body and Retry-After)',
  'GET /health/live 503': 'a failing check (Terminus)',
  'GET /health/ready 503': 'draining, or a source not tried yet',
  'POST /admin/webhooks/subscriptions 503': 'a fleet on Redis without WEBHOOK_SECRET_KEY',
  'POST /admin/webhooks/subscriptions/{id}/rotate-secret 503': 'a fleet on Redis without WEBHOOK_SECRET_KEY',
};

interface Probe {
  readonly route: string;
  readonly status: number;
  /** What the request does to draw the status. */
  readonly why: string;
  /** The URL when not the route's own. */
  readonly url?: string;
  /** undefined: the route's scope key; null: no key. */
  readonly key?: string | null;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly contentType?: string;
}

const OTHER_SCOPE: Record<Exclude<Scope, 'open'>, string> = { evaluation: ADMIN_KEY, admin: EVALUATION_KEY };
const SINGLE = 'POST /ofrep/v1/evaluate/flags/{key}';
const BULK = 'POST /ofrep/v1/evaluate/flags';
const AGENT = 'GET /applications/{application}/environments/{environment}/configurations/{profile}';
const CREATE = 'POST /admin/webhooks/subscriptions';
const PATCH = 'PATCH /admin/webhooks/subscriptions/{id}';
const JSON_TYPE = 'application/json';
/** Error bodies of non-protocol routes (RFC 9457): JSON, validated like JSON. */
const PROBLEM_TYPE = 'application/problem+json';
const CONTEXT = '{"context":{"targetingKey":"user-1"}}';

/** A probe sending a JSON body. */
const withJson = (
  route: string,
  status: number,
  why: string,
  body: string,
  extra: Partial<Probe> = {},
): Probe => ({
  route,
  status,
  why,
  body,
  contentType: JSON_TYPE,
  ...extra,
});

/** The requests that draw each status of each route; 401/403 for every route that needs a key. */
const PROBES: readonly Probe[] = [
  ...Object.entries(ROUTES).flatMap(([route, { scope }]): Probe[] =>
    scope === 'open'
      ? []
      : [
          { route, status: 401, why: 'no key', key: null },
          {
            route,
            status: 403,
            why: `the ${scope === 'admin' ? 'evaluation' : 'admin'} key (wrong scope)`,
            key: OTHER_SCOPE[scope],
          },
        ],
  ),
  ...[SINGLE, BULK].flatMap((route): Probe[] => [
    { route, status: 200, why: 'a context', body: CONTEXT, contentType: JSON_TYPE },
    { route, status: 400, why: 'a body that is not JSON', body: '{', contentType: JSON_TYPE },
    {
      route,
      status: 400,
      why: 'an unknown source',
      body: CONTEXT,
      contentType: JSON_TYPE,
      headers: { 'x-flagfleet-source': 'no/such/source' },
    },
    { route, status: 413, why: 'a body over BODY_LIMIT_BYTES', body: OVERSIZED, contentType: JSON_TYPE },
    { route, status: 415, why: 'an XML body', body: '<context/>', contentType: 'application/xml' },
    {
      route,
      status: 503,
      why: 'a source never loaded',
      body: CONTEXT,
      contentType: JSON_TYPE,
      headers: { 'x-flagfleet-source': 'local/local/broken' },
    },
  ]),
  {
    route: SINGLE,
    status: 400,
    why: 'a rule error (PARSE_ERROR)',
    url: '/ofrep/v1/evaluate/flags/broken-rule',
    body: CONTEXT,
    contentType: JSON_TYPE,
  },
  {
    route: SINGLE,
    status: 404,
    why: 'an unknown flag',
    url: '/ofrep/v1/evaluate/flags/nope',
    body: CONTEXT,
    contentType: JSON_TYPE,
  },
  {
    route: BULK,
    status: 304,
    why: 'the ETag of the last answer',
    body: CONTEXT,
    contentType: JSON_TYPE,
    headers: { 'if-none-match': ':etag' },
  },
  { route: AGENT, status: 200, why: 'a loaded profile' },
  { route: AGENT, status: 400, why: 'a bad Context header', headers: { context: 'no-equals-sign' } },
  {
    route: AGENT,
    status: 404,
    why: 'an unknown profile',
    url: '/applications/local/environments/local/configurations/nope',
  },
  {
    route: AGENT,
    status: 404,
    why: 'an unknown flag',
    url: '/applications/local/environments/local/configurations/flags?flag=nope',
  },
  {
    route: AGENT,
    status: 503,
    why: 'a source never loaded',
    url: '/applications/local/environments/local/configurations/broken',
  },
  { route: 'GET /events/stream', status: 200, why: 'the default source' },
  {
    route: 'GET /events/stream',
    status: 404,
    why: 'an unknown source',
    url: '/events/stream?source=no/such/source',
  },
  { route: 'GET /health/live', status: 200, why: 'a live process' },
  { route: 'GET /health/ready', status: 200, why: 'sources tried' },
  { route: 'GET /metrics', status: 200, why: 'a scrape' },
  { route: 'GET /status', status: 200, why: 'the admin key' },
  withJson(CREATE, 201, 'a valid subscription', '{"url":"http://127.0.0.1:9/created"}'),
  withJson(CREATE, 409, 'WEBHOOK_MAX_SUBSCRIPTIONS reached', '{"url":"http://127.0.0.1:9/one-more"}'),
  withJson(CREATE, 400, 'an unknown field', '{"url":"http://127.0.0.1:9/x","bogus":1}'),
  withJson(CREATE, 400, 'a refused target', '{"url":"ftp://127.0.0.1/x"}'),
  ...[CREATE, PATCH].flatMap((route): Probe[] => [
    { route, status: 400, why: 'a body that is not JSON', body: '{', contentType: JSON_TYPE },
    { route, status: 413, why: 'a body over BODY_LIMIT_BYTES', body: OVERSIZED, contentType: JSON_TYPE },
    { route, status: 415, why: 'an XML body', body: '<url/>', contentType: 'application/xml' },
  ]),
  { route: 'GET /admin/webhooks/subscriptions', status: 200, why: 'a list' },
  { route: 'GET /admin/webhooks/subscriptions/{id}', status: 200, why: 'an existing id' },
  withJson(PATCH, 200, 'a new description', '{"description":"changed"}'),
  { route: PATCH, status: 400, why: 'an unknown field', body: '{"bogus":1}', contentType: JSON_TYPE },
  { route: 'POST /admin/webhooks/subscriptions/{id}/rotate-secret', status: 201, why: 'an existing id' },
  { route: 'POST /admin/webhooks/subscriptions/{id}/test', status: 200, why: 'a ping nobody answers' },
  { route: 'GET /admin/webhooks/subscriptions/{id}/deliveries', status: 200, why: 'the attempts so far' },
  { route: 'GET /admin/webhooks/dead-letters', status: 200, why: 'a delivery given up on' },
  { route: 'POST /admin/webhooks/dead-letters/{deliveryId}/replay', status: 202, why: 'a dead letter' },
  // Every route naming a subscription or a dead letter, with an id that does not exist.
  ...Object.entries(ROUTES)
    .filter(([, { url }]) => /:(sub|dead|letter)/.test(url))
    .map(([route, { url }]): Probe => ({
      route,
      status: 404,
      why: 'an unknown id',
      url: url.replace(/:(sub|dead|letter)/, 'nope'),
      ...(route === PATCH ? { body: '{"description":"x"}', contentType: JSON_TYPE } : {}),
    })),
  // Last: the subscription whose delivery was dead-lettered (its replay above needs it).
  { route: 'DELETE /admin/webhooks/subscriptions/{id}', status: 204, why: 'an existing id' },
];

interface OpenApiResponse {
  readonly content?: Record<string, { readonly schema?: object }>;
}
interface OpenApiDocument {
  readonly paths: Record<string, Record<string, { responses: Record<string, OpenApiResponse> }>>;
  readonly components: {
    schemas: Record<string, object>;
    securitySchemes: Record<string, Record<string, unknown>>;
  };
}

interface Answer {
  readonly status: number;
  readonly mediaType: string | undefined;
  readonly text: string;
}

let service: RunningFlagService;
let document: OpenApiDocument;
const ids = { sub: '', dead: '', letter: '', etag: '' };
const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
const compiled = new Map<string, ValidateFunction>();

beforeAll(async () => {
  service = await startFlagService(
    { flags: SERVICE_FLAGS, broken: '{' },
    {
      API_KEYS: EVALUATION_KEY,
      ADMIN_API_KEYS: ADMIN_KEY,
      BODY_LIMIT_BYTES: String(BODY_LIMIT),
      // Nest's "Mapped {path, METHOD}" lines are the list of the routes it registered.
      LOG_LEVEL: 'debug',
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      WEBHOOK_RETRY_SCHEDULE_MS: '0',
      WEBHOOK_MAX_SUBSCRIPTIONS: '3',
    },
  );
  document = (await (await fetch(`${service.url}/docs-json`)).json()) as OpenApiDocument;
  ajv.addSchema({ $id: 'openapi', components: document.components });
  const subscribe = async (path: string): Promise<string> => {
    const answer = await send({
      route: CREATE,
      status: 201,
      why: '',
      body: `{"url":"http://127.0.0.1:9/${path}"}`,
      contentType: JSON_TYPE,
    });
    return (JSON.parse(answer.text) as { subscription: { id: string } }).subscription.id;
  };
  ids.sub = await subscribe('kept');
  ids.dead = await subscribe('dead');
  // A deploy: each subscription's delivery fails twice (nothing listens on port 9) and is dead-lettered.
  await service.writeFlags('flags', {
    ...SERVICE_FLAGS,
    flags: {
      ...SERVICE_FLAGS.flags,
      added: { state: 'ENABLED', variants: { on: true }, defaultVariant: 'on' },
    },
  });
  ids.letter = await waitFor(
    async () => {
      const answer = await send({ route: 'GET /admin/webhooks/dead-letters', status: 200, why: '' });
      const letters = JSON.parse(answer.text) as Array<{ job: { id: string; subscriptionId: string } }>;
      return letters.find((letter) => letter.job.subscriptionId === ids.dead)?.job.id ?? '';
    },
    { timeoutMs: 10_000, message: 'a dead-lettered delivery' },
  );
  const bulk = await fetch(`${service.url}/ofrep/v1/evaluate/flags`, {
    method: 'POST',
    headers: { authorization: `Bearer ${EVALUATION_KEY}`, 'content-type': JSON_TYPE },
    body: CONTEXT,
  });
  ids.etag = bulk.headers.get('etag') ?? '';
}, 30_000);

afterAll(() => service?.close());

function concrete(url: string): string {
  return url
    .replace(':sub', ids.sub)
    .replace(':dead', ids.dead)
    .replace(':letter', encodeURIComponent(ids.letter))
    .replace(':etag', ids.etag);
}

async function send(probe: Probe): Promise<Answer> {
  const [method] = probe.route.split(' ');
  const scope = ROUTES[probe.route].scope;
  const key =
    probe.key === undefined
      ? scope === 'open'
        ? null
        : scope === 'admin'
          ? ADMIN_KEY
          : EVALUATION_KEY
      : probe.key;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(probe.headers ?? {})) headers[name] = concrete(value);
  if (key !== null) headers.authorization = `Bearer ${key}`;
  if (probe.contentType) headers['content-type'] = probe.contentType;
  const aborted = new AbortController();
  const response = await fetch(`${service.url}${concrete(probe.url ?? ROUTES[probe.route].url)}`, {
    method,
    headers,
    body: probe.body,
    signal: aborted.signal,
  });
  const mediaType = response.headers.get('content-type')?.split(';')[0].trim();
  if (mediaType === 'text/event-stream') {
    aborted.abort(); // a stream does not end: its status and type are what is checked
    return { status: response.status, mediaType, text: '' };
  }
  return { status: response.status, mediaType, text: await response.text() };
}

/** The route's documented answer for a status, or undefined. */
function documented(route: string, status: number): OpenApiResponse | undefined {
  const [method, path] = route.split(' ');
  return document.paths[path]?.[method.toLowerCase()]?.responses[String(status)];
}

function validatorFor(schema: object): ValidateFunction {
  // Response schemas refer to `#/components/…` of the document, held by ajv under the id `openapi`.
  const text = JSON.stringify(schema).replaceAll('"#/components/', '"openapi#/components/');
  let validate = compiled.get(text);
  if (!validate) {
    validate = ajv.compile(JSON.parse(text) as object);
    compiled.set(text, validate);
  }
  return validate;
}

describe('the OpenAPI document against the routes the service registers', () => {
  it("lists every registered route (Nest's and OFREP's), and only those", () => {
    const mapped = [...service.logs().matchAll(/Mapped \{([^,]+), (\w+)\}/g)].map(
      ([, path, method]) => `${method} ${path.replace(/:(\w+)/g, '{$1}')}`,
    );
    const registered = [
      ...mapped,
      ...Object.values(OFREP_ROUTES).map((route) => `POST ${route.path}`),
    ].filter((route) => !UNDOCUMENTED.has(route));
    expect(mapped.length).toBeGreaterThan(10);
    const inDocument = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(inDocument.sort()).toEqual([...registered].sort());
    // And this test sends requests to each of them.
    expect(Object.keys(ROUTES).sort()).toEqual([...registered].sort());
  });

  it('says the bearer keys are opaque (no bearerFormat JWT)', () => {
    const { BearerAuth } = document.components.securitySchemes;
    expect(BearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(BearerAuth).not.toHaveProperty('bearerFormat');
  });

  it('draws every documented status of every route, or says why it cannot', () => {
    const drawn = new Set(PROBES.map((probe) => `${probe.route} ${probe.status}`));
    const undrawn = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).flatMap(([method, operation]) =>
        Object.keys(operation.responses)
          .map((status) => `${method.toUpperCase()} ${path} ${status}`)
          .filter((entry) => !drawn.has(entry)),
      ),
    );
    expect(undrawn.sort()).toEqual(Object.keys(NOT_DRAWN).sort());
  });

  describe.each(PROBES.map((probe) => [`${probe.route} → ${probe.status} (${probe.why})`, probe] as const))(
    '%s',
    (_name, probe) => {
      it('is answered so and documented with the body sent', async () => {
        const answer = await send(probe);
        expect({ status: answer.status, text: answer.text.slice(0, 300) }).toMatchObject({
          status: probe.status,
        });
        const response = documented(probe.route, answer.status);
        expect(response).toBeDefined();
        const content = response?.content ?? {};
        if (answer.text === '') {
          if (answer.mediaType !== 'text/event-stream') expect(Object.keys(content)).toEqual([]);
          else expect(Object.keys(content)).toContain('text/event-stream');
          return;
        }
        expect(Object.keys(content)).toContain(answer.mediaType);
        if (answer.mediaType !== JSON_TYPE && answer.mediaType !== PROBLEM_TYPE) return;
        const body = JSON.parse(answer.text) as unknown;
        const validate = validatorFor(content[answer.mediaType].schema ?? {});
        expect({ body, errors: validate(body) ? [] : validate.errors }).toEqual({ body, errors: [] });
        if (probe.route === SINGLE || probe.route === BULK)
          expectOfrepConformant(probe.route, answer.status, body);
      });
    },
  );
});

/** Where the OFREP contract defines the status, the answer matches its schema too (ofrep-contract.ts). */
let contractValidators: ReturnType<typeof ofrepValidators> | null | undefined;
function expectOfrepConformant(route: string, status: number, body: unknown): void {
  if (contractValidators === undefined) {
    const contract = conformancePath('ofrep', 'openapi.yaml');
    contractValidators = contract === null ? null : ofrepValidators(contract);
  }
  const validators = contractValidators;
  if (validators === null) return;
  const validator = route === SINGLE ? validators.single : validators.bulk;
  const defined = [200, 304, 400, 401, 403, 404, 429, 500].includes(status);
  if (defined) expect(validator.validateResponse(status, body)).toBeUndefined();
}
