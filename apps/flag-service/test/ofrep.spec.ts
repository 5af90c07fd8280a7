import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import request from 'supertest';
import { conformancePath, describeConformance } from '../../../test/support/conformance';
import { waitFor } from '../../../test/support/wait-for';
import {
  APPCONFIG_FLAGS,
  SERVICE_FLAGS,
  startFlagService,
  type RunningFlagService,
} from './flag-service-harness';
import { ofrepValidators } from './ofrep-contract';

const SINGLE = '/ofrep/v1/evaluate/flags/';
const BULK = '/ofrep/v1/evaluate/flags';

// One path: every test that sends an OFREP request must have been answered by the OFREP handler.
describe('OFREP', () => {
  let service: RunningFlagService;
  let servedBefore = 0;
  beforeEach(() => {
    servedBefore = service.ofrepServed();
  });
  afterEach(() => {
    expect(service.ofrepServed()).toBeGreaterThan(servedBefore);
  });

  beforeAll(async () => {
    service = await startFlagService(
      { flags: SERVICE_FLAGS, appflags: APPCONFIG_FLAGS },
      { BODY_LIMIT_BYTES: '2048', JSON_MAX_DEPTH: '8' },
    );
  });
  afterAll(() => service?.close());

  const evaluate = (key: string, context: unknown = {}) =>
    request(service.url)
      .post(SINGLE + encodeURIComponent(key))
      .send({ context });

  describe('OFREP single flag', () => {
    it('answers a static flag with value, variant, reason and metadata', async () => {
      const answer = await evaluate('kill-switch', { targetingKey: 'u1' }).expect(200);
      expect(answer.body).toEqual({
        key: 'kill-switch',
        value: false,
        variant: 'off',
        reason: 'STATIC',
        metadata: { owner: 'ops' },
      });
    });

    it('answers TARGETING_MATCH when a rule picks a variant, DEFAULT when it returns null', async () => {
      expect((await evaluate('banner-color', { email: 'ada@example.com' }).expect(200)).body).toMatchObject({
        value: 'blue',
        reason: 'TARGETING_MATCH',
      });
      expect((await evaluate('banner-color', { email: 'ada@other.org' }).expect(200)).body).toMatchObject({
        value: 'red',
        reason: 'DEFAULT',
      });
    });

    it('serves number and object values', async () => {
      expect((await evaluate('retry-limit').expect(200)).body.value).toBe(3);
      expect((await evaluate('theme').expect(200)).body.value).toEqual({ mode: 'light' });
    });

    it('omits value for a DISABLED flag and for a code default', async () => {
      const disabled = await evaluate('legacy-ui').expect(200);
      expect(disabled.body).toEqual({ key: 'legacy-ui', reason: 'DISABLED', metadata: {} });
      const codeDefault = await evaluate('no-default', { plan: 'free' }).expect(200);
      expect(codeDefault.body).not.toHaveProperty('value');
      expect(codeDefault.body.reason).toBe('DEFAULT');
    });

    it('answers 404 FLAG_NOT_FOUND for an unknown flag', async () => {
      const answer = await evaluate('nope').expect(404);
      expect(answer.body).toMatchObject({ key: 'nope', errorCode: 'FLAG_NOT_FOUND' });
      expect(typeof answer.body.errorDetails).toBe('string');
    });

    it('answers 400 GENERAL when targeting names an unknown variant', async () => {
      expect((await evaluate('broken-rule').expect(400)).body).toMatchObject({
        key: 'broken-rule',
        errorCode: 'GENERAL',
      });
    });

    it('accepts a missing body or context as an empty context', async () => {
      await request(service.url)
        .post(SINGLE + 'kill-switch')
        .expect(200);
      await request(service.url)
        .post(SINGLE + 'kill-switch')
        .send({})
        .expect(200);
    });

    it.each([
      ['a non-object context', { context: ['x'] }],
      ['a string context', { context: 'x' }],
      ['an array body', [1, 2]],
      ['a numeric targetingKey', { context: { targetingKey: 42 } }],
    ])('answers 400 INVALID_CONTEXT for %s', async (_name, body) => {
      const answer = await request(service.url)
        .post(SINGLE + 'kill-switch')
        .send(body as object)
        .expect(400);
      expect(answer.body).toMatchObject({ key: 'kill-switch', errorCode: 'INVALID_CONTEXT' });
    });

    it('answers 400 INVALID_CONTEXT with an OFREP body for malformed JSON', async () => {
      const answer = await request(service.url)
        .post(SINGLE + 'kill-switch')
        .set('content-type', 'application/json')
        .send('{"context": {')
        .expect(400);
      expect(answer.body).toMatchObject({ key: 'kill-switch', errorCode: 'INVALID_CONTEXT' });
      expect(JSON.stringify(answer.body)).not.toMatch(/at .*\.js/);
    });

    it('refuses __proto__ keys and leaves Object.prototype alone', async () => {
      const body = '{"context": {"targetingKey": "u", "__proto__": {"polluted": true}}}';
      const answer = await request(service.url)
        .post(SINGLE + 'kill-switch')
        .set('content-type', 'application/json')
        .send(body)
        .expect(400);
      expect(answer.body.errorCode).toBe('INVALID_CONTEXT');
      expect(answer.body.errorDetails).toMatch(/forbidden prototype property/);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('refuses bodies nested deeper than JSON_MAX_DEPTH', async () => {
      const deep = '{"context": {"a":' + '['.repeat(20) + ']'.repeat(20) + '}}';
      const answer = await request(service.url)
        .post(SINGLE + 'kill-switch')
        .set('content-type', 'application/json')
        .send(deep)
        .expect(400);
      expect(answer.body.errorDetails).toMatch(/deeper than 8/);
    });

    it('refuses bodies over BODY_LIMIT_BYTES with 413 and an OFREP body', async () => {
      const answer = await evaluate('kill-switch', { blob: 'x'.repeat(4096) }).expect(413);
      expect(answer.body).toMatchObject({ key: 'kill-switch', errorCode: 'GENERAL' });
    });

    it('refuses a chunked body (no declared length) over the limit with 413', async () => {
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest(`${service.url}${SINGLE}kill-switch`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        });
        req.on('response', (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.write('{"context": {"blob": "');
        req.write('x'.repeat(4096));
        req.end('"}}');
      });
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body)).toMatchObject({ key: 'kill-switch', errorCode: 'GENERAL' });
    });

    it('keeps serving after clients that go away in the middle of a body', async () => {
      const { hostname, port } = new URL(service.url);
      for (const path of [`${SINGLE}kill-switch`, BULK]) {
        await new Promise<void>((resolve, reject) => {
          const socket = connect(Number(port), hostname, () => {
            socket.write(
              `POST ${path} HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"context":`,
              () => socket.destroy(),
            );
          });
          socket.on('close', () => resolve());
          socket.on('error', reject);
        });
      }
      expect((await evaluate('kill-switch').expect(200)).body.value).toBe(false);
    });

    it('answers an unsupported content type with an OFREP error body', async () => {
      const answer = await request(service.url)
        .post(SINGLE + 'kill-switch')
        .set('content-type', 'application/xml')
        .send('<context/>');
      expect(answer.status).toBe(415);
      expect(answer.body).toMatchObject({ key: 'kill-switch', errorCode: 'GENERAL' });
    });

    it('reads a missing body as an empty context, with or without content-type application/json', async () => {
      for (const type of ['application/json', 'application/json; charset=utf-8', undefined]) {
        const call = request(service.url).post(SINGLE + 'kill-switch');
        if (type) call.set('content-type', type);
        const answer = await call;
        expect({ type, status: answer.status }).toEqual({ type, status: 200 });
        expect(answer.body).toMatchObject({ key: 'kill-switch', value: false });
      }
      const bulk = await request(service.url).post(BULK).set('content-type', 'application/json');
      expect(bulk.status).toBe(200);
    });

    it('parses a JSON body sent as text/plain as JSON', async () => {
      const answer = await request(service.url)
        .post(SINGLE + 'banner-color')
        .set('content-type', 'text/plain')
        .send('{"context":{"email":"ada@example.com"}}');
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ value: 'blue', reason: 'TARGETING_MATCH' });
      const invalid = await request(service.url)
        .post(SINGLE + 'banner-color')
        .set('content-type', 'text/plain')
        .send('{"context":');
      expect(invalid.status).toBe(400);
      expect(invalid.body.errorDetails).toMatch(/invalid JSON body/);
    });

    it('evaluates another source named by X-Flagfleet-Source, and refuses an unknown one', async () => {
      const other = await evaluate('dark-mode').set('X-Flagfleet-Source', 'local/local/appflags').expect(200);
      expect(other.body).toMatchObject({
        key: 'dark-mode',
        value: true,
        metadata: { rollout: 'all', weight: 3 },
      });
      const unknown = await evaluate('kill-switch').set('X-Flagfleet-Source', 'no/such/source').expect(400);
      expect(unknown.body).toMatchObject({ key: 'kill-switch', errorCode: 'GENERAL' });
    });
  });

  describe('OFREP bulk', () => {
    it('evaluates every flag with an ETag and per-flag failures inside a 200', async () => {
      const answer = await request(service.url)
        .post(BULK)
        .send({ context: { targetingKey: 'u1' } })
        .expect(200);
      expect(answer.headers.etag).toMatch(/^"\d+-/);
      const byKey = Object.fromEntries(
        (answer.body.flags as Array<{ key: string }>).map((flag) => [flag.key, flag]),
      );
      expect(Object.keys(byKey).sort()).toEqual(Object.keys(SERVICE_FLAGS.flags).sort());
      expect(byKey['broken-rule']).toMatchObject({ errorCode: 'GENERAL' });
      expect(byKey['legacy-ui']).toEqual({ key: 'legacy-ui', reason: 'DISABLED', metadata: {} });
      expect(answer.body.metadata).toMatchObject({
        source: 'local/local/flags',
        revision: expect.any(Number),
      });
      expect(answer.body.eventStreams).toEqual([
        expect.objectContaining({
          type: 'sse',
          endpoint: { requestUri: expect.stringContaining('source=local%2Flocal%2Fflags') },
        }),
      ]);
    });

    it('answers 304 without a body for a matching If-None-Match, 200 for another context', async () => {
      const first = await request(service.url)
        .post(BULK)
        .send({ context: { targetingKey: 'u1', plan: 'pro' } })
        .expect(200);
      const etag = first.headers.etag;
      const same = await request(service.url)
        .post(BULK)
        .set('If-None-Match', etag)
        .send({ context: { plan: 'pro', targetingKey: 'u1' } })
        .expect(304);
      expect(same.text).toBe('');
      expect(same.headers.etag).toBe(etag);
      await request(service.url)
        .post(BULK)
        .set('If-None-Match', `W/${etag}`)
        .send({ context: { targetingKey: 'u1', plan: 'pro' } })
        .expect(304);
      const other = await request(service.url)
        .post(BULK)
        .set('If-None-Match', etag)
        .send({ context: { targetingKey: 'u2' } })
        .expect(200);
      expect(other.headers.etag).not.toBe(etag);
    });

    it('gives contexts with the same answer the same ETag (the ETag names the answer)', async () => {
      const first = await request(service.url)
        .post(BULK)
        .send({ context: { targetingKey: 'a', plan: 'free' } })
        .expect(200);
      const second = await request(service.url)
        .post(BULK)
        .send({ context: { targetingKey: 'b' } })
        .expect(200);
      expect(second.headers.etag).toBe(first.headers.etag);
      expect(second.body).toEqual(first.body);
      await request(service.url)
        .post(BULK)
        .set('If-None-Match', first.headers.etag)
        .send({ context: { targetingKey: 'c', email: 'ada@other.org' } })
        .expect(304);
    });

    it('counts every flag of every bulk answer in the metrics, shared answers and built ones', async () => {
      const counter = async (flag: string, reason: string): Promise<number> => {
        const metrics = await request(service.url).get('/metrics').expect(200);
        const line = new RegExp(
          `^flagfleet_evaluations_total\\{flag="${flag}",reason="${reason}",protocol="ofrep"\\} (\\d+)$`,
          'm',
        );
        return Number(line.exec(metrics.text)?.[1] ?? 0);
      };
      const before = {
        // Source of flags with only context-independent results: its answers are shared (memoised).
        darkMode: await counter('dark-mode', 'STATIC'),
        betaSearch: await counter('beta-search', 'STATIC'),
        // broken-rule's error is made per request: answers of the default source are built each time.
        broken: await counter('broken-rule', 'GENERAL'),
        matched: await counter('no-default', 'TARGETING_MATCH'),
      };
      for (const plan of ['pro', 'pro', 'free']) {
        await request(service.url).post(BULK).send({ context: { plan } }).expect(200);
        await request(service.url)
          .post(BULK)
          .set('X-Flagfleet-Source', 'local/local/appflags')
          .send({ context: { plan } })
          .expect(200);
      }
      expect(await counter('dark-mode', 'STATIC')).toBe(before.darkMode + 3);
      expect(await counter('beta-search', 'STATIC')).toBe(before.betaSearch + 3);
      expect(await counter('broken-rule', 'GENERAL')).toBe(before.broken + 3);
      expect(await counter('no-default', 'TARGETING_MATCH')).toBe(before.matched + 2);
    });

    it('times every evaluated request: the duration histogram counts each one', async () => {
      const count = async (endpoint: string): Promise<number> => {
        const metrics = await request(service.url).get('/metrics').expect(200);
        const line = new RegExp(
          `^flagfleet_evaluation_duration_seconds_count\\{endpoint="${endpoint}"\\} (\\d+)$`,
          'm',
        );
        return Number(line.exec(metrics.text)?.[1]);
      };
      const before = { single: await count('single'), bulk: await count('bulk') };
      for (let i = 0; i < 11; i++) await evaluate('kill-switch', { targetingKey: `u${i}` }).expect(200);
      for (let i = 0; i < 9; i++) await request(service.url).post(BULK).send({ context: {} }).expect(200);
      expect(await count('single')).toBe(before.single + 11);
      expect(await count('bulk')).toBe(before.bulk + 9);
    });

    it('answers 400 INVALID_CONTEXT without a key for a bad context', async () => {
      const answer = await request(service.url).post(BULK).send({ context: 5 }).expect(400);
      expect(answer.body).toEqual({ errorCode: 'INVALID_CONTEXT', errorDetails: expect.any(String) });
      const malformed = await request(service.url)
        .post(BULK)
        .set('content-type', 'application/json')
        .send('nope')
        .expect(400);
      expect(malformed.body.errorCode).toBe('INVALID_CONTEXT');
      expect(malformed.body).not.toHaveProperty('key');
    });

    it('serves an edited flags file within a couple of seconds, with a new ETag', async () => {
      const before = await request(service.url).post(BULK).send({ context: {} }).expect(200);
      const edited = structuredClone(SERVICE_FLAGS);
      edited.flags['kill-switch'].defaultVariant = 'on';
      await service.writeFlags('flags', edited);
      const after = await waitFor(
        async () => {
          const answer = await evaluate('kill-switch');
          return answer.body.value === true ? answer : undefined;
        },
        { timeoutMs: 8000, intervalMs: 100, message: 'the edited kill-switch' },
      );
      expect(after?.status).toBe(200);
      await request(service.url)
        .post(BULK)
        .set('If-None-Match', before.headers.etag)
        .send({ context: {} })
        .expect(200);
      await service.writeFlags('flags', SERVICE_FLAGS);
    });
  });

  describeConformance(['ofrep', 'openapi.yaml'], 'OFREP answers match the contract', (contract) => {
    const validators = ofrepValidators(contract);

    it.each([
      ['kill-switch', {}, 200],
      ['banner-color', { email: 'ada@example.com' }, 200],
      ['banner-color', {}, 200],
      ['retry-limit', {}, 200],
      ['theme', {}, 200],
      ['legacy-ui', {}, 200],
      ['no-default', {}, 200],
      ['nope', {}, 404],
      ['broken-rule', {}, 400],
    ])('single %s %j → %d', async (key, context, status) => {
      const answer = await evaluate(key, context).expect(status);
      expect(validators.single.validateResponse(status, answer.body)).toBeUndefined();
    });

    it('single: malformed JSON and bad context answers', async () => {
      const answer = await request(service.url)
        .post(SINGLE + 'x')
        .set('content-type', 'application/json')
        .send('{')
        .expect(400);
      expect(validators.single.validateResponse(400, answer.body)).toBeUndefined();
    });

    it('bulk: success and failure answers', async () => {
      const ok = await request(service.url)
        .post(BULK)
        .send({ context: { targetingKey: 'u' } })
        .expect(200);
      expect(validators.bulk.validateResponse(200, ok.body)).toBeUndefined();
      const bad = await request(service.url).post(BULK).send({ context: [] }).expect(400);
      expect(validators.bulk.validateResponse(400, bad.body)).toBeUndefined();
    });
  });
});

// Sends nothing, so outside the suite above (whose every test must reach the OFREP handler).
describeConformance(['ofrep', 'openapi.yaml'], 'the OFREP contract validator', (contract) => {
  it('does reject an answer off the contract', () => {
    const validators = ofrepValidators(contract);
    expect(validators.single.validateResponse(200, { key: 'x', reason: 'NOT_A_REASON' })).toBeDefined();
    expect(conformancePath('ofrep', 'openapi.yaml')).not.toBeNull();
  });
});
