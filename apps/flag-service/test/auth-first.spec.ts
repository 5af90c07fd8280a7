import { SERVICE_FLAGS, startFlagService, type RunningFlagService } from './flag-service-harness';

const API_KEY = 'evaluation-key';
const ADMIN_KEY = 'admin-key';
const LIMIT = 1024;

/** Bodies that would be refused (400, 413, 415) if they were looked at before the key. */
const BAD_BODIES: Array<[string, string, string]> = [
  ['malformed JSON', 'application/json', '{"context":'],
  ['too deep', 'application/json', '['.repeat(100) + ']'.repeat(100)],
  ['over the body limit', 'application/json', `{"context":{"pad":"${'x'.repeat(4 * LIMIT)}"}}`],
  ['not JSON', 'application/xml', '<context/>'],
];

const ROUTES: Array<[string, string, string]> = [
  ['OFREP single', '/ofrep/v1/evaluate/flags/kill-switch', API_KEY],
  ['OFREP bulk', '/ofrep/v1/evaluate/flags', API_KEY],
  ['webhook subscription (admin)', '/admin/webhooks/subscriptions', ADMIN_KEY],
];

describe('keys are checked before the body is read', () => {
  let service: RunningFlagService;
  beforeAll(async () => {
    service = await startFlagService(
      { flags: SERVICE_FLAGS },
      {
        API_KEYS: API_KEY,
        ADMIN_API_KEYS: ADMIN_KEY,
        BODY_LIMIT_BYTES: String(LIMIT),
      },
    );
  });
  afterAll(() => service.close());

  const post = (path: string, type: string, body: string, key?: string): Promise<Response> =>
    fetch(`${service.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': type, ...(key === undefined ? {} : { 'x-api-key': key }) },
      body,
    });

  describe.each(ROUTES)('%s', (_route, path, goodKey) => {
    // The OFREP routes have one path, the OFREP handler: it, not Fastify, must have answered.
    const ofrep = path.startsWith('/ofrep/');
    let servedBefore = 0;
    beforeEach(() => {
      servedBefore = service.ofrepServed();
    });
    afterEach(() => {
      if (ofrep) expect(service.ofrepServed()).toBeGreaterThan(servedBefore);
      else expect(service.ofrepServed()).toBe(servedBefore);
    });
    it.each(BAD_BODIES)(
      'answers 401 (no key) and 403 (wrong key) to a body %s, without a body',
      async (_c, type, body) => {
        const missing = await post(path, type, body);
        expect(missing.status).toBe(401);
        expect(missing.headers.get('www-authenticate')).toBe('Bearer');
        expect(await missing.text()).toBe('');
        const wrong = await post(path, type, body, goodKey === API_KEY ? ADMIN_KEY : API_KEY);
        expect(wrong.status).toBe(403);
        expect(await wrong.text()).toBe('');
      },
    );

    it('still refuses the same bodies with 400/413/415 once the key is right', async () => {
      const statuses = [];
      for (const [, type, body] of BAD_BODIES) statuses.push((await post(path, type, body, goodKey)).status);
      expect(statuses).toEqual([400, 400, 413, 415]);
    });
  });
});
