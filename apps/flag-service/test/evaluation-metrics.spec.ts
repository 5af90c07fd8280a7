import { connect } from 'node:http2';
import { status } from '@grpc/grpc-js';
import request from 'supertest';
import { startFlagService, type RunningFlagService } from './flag-service-harness';
import { FlagdGrpcClient, toStruct } from './flagd-grpc-client';

/** Two flags: every bulk evaluation counts both. */
const FLAGS = {
  flags: {
    'kill-switch': { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'off' },
    banner: { state: 'ENABLED', variants: { red: 'red' }, defaultVariant: 'red' },
  },
};

/** A source of one flag: a request for every flag of it is still bulk. */
const SOLO = { flags: { only: { state: 'ENABLED', variants: { on: true }, defaultVariant: 'on' } } };

interface Scrape {
  /** flagfleet_evaluations_total summed per protocol label. */
  readonly evaluations: Record<string, number>;
  /** flagfleet_evaluation_duration_seconds_count per endpoint. */
  readonly timed: Record<string, number>;
}

async function scrape(service: RunningFlagService): Promise<Scrape> {
  const { text } = await request(service.url).get('/metrics').expect(200);
  const evaluations: Record<string, number> = {};
  for (const [, protocol, count] of text.matchAll(
    /^flagfleet_evaluations_total\{[^}]*protocol="([^"]+)"[^}]*\} (\d+)$/gm,
  ))
    evaluations[protocol] = (evaluations[protocol] ?? 0) + Number(count);
  const timed: Record<string, number> = {};
  for (const [, endpoint, count] of text.matchAll(
    /^flagfleet_evaluation_duration_seconds_count\{endpoint="([^"]+)"\} (\d+)$/gm,
  ))
    timed[endpoint] = Number(count);
  return { evaluations, timed };
}

/** Requests each path served: the OFREP handler, the flagd gRPC fast path, connect-node. */
function served(service: RunningFlagService): Record<string, number> {
  return { ofrep: service.ofrepServed(), ...service.flagdServed() };
}

const increase = (after: Record<string, number>, before: Record<string, number>): Record<string, number> =>
  Object.fromEntries(
    Object.entries(after)
      .map(([key, value]) => [key, value - (before[key] ?? 0)] as const)
      .filter(([, delta]) => delta !== 0),
  );

/** A unary call in the Connect protocol (JSON): the fast path leaves it to connect-node. */
async function connectCall(address: string, path: string, body: object): Promise<number> {
  const session = connect(`http://${address}`);
  try {
    return await new Promise<number>((resolve, reject) => {
      const stream = session.request({
        ':method': 'POST',
        ':path': path,
        'content-type': 'application/json',
      });
      let status = 0;
      stream.on('response', (headers) => (status = Number(headers[':status'])));
      stream.on('error', reject);
      stream.on('end', () => resolve(status));
      stream.resume();
      stream.end(JSON.stringify(body));
    });
  } finally {
    session.close();
  }
}

// [name, call, counted, timed, the path that served it (the agent route has only Nest's)]
type Case = [string, () => Promise<unknown>, Record<string, number>, Record<string, number>, string?];

/** Each case alone: what it added to the counter, to the histogram, and which path served it. */
async function expectEach(service: RunningFlagService, cases: readonly Case[]): Promise<void> {
  for (const [name, call, counted, timed, path] of cases) {
    const before = await scrape(service);
    const servedBefore = served(service);
    await call();
    const servedBy = increase(served(service), servedBefore);
    const after = await scrape(service);
    expect({ name, counted: increase(after.evaluations, before.evaluations) }).toEqual({ name, counted });
    expect({ name, timed: increase(after.timed, before.timed) }).toEqual({ name, timed });
    expect({ name, servedBy }).toEqual({ name, servedBy: path === undefined ? {} : { [path]: 1 } });
  }
}

describe('every evaluation is counted once with its protocol and timed (issue 21)', () => {
  let service: RunningFlagService;
  let v1: FlagdGrpcClient;
  let v2: FlagdGrpcClient;

  beforeAll(async () => {
    service = await startFlagService({ flags: FLAGS, solo: SOLO });
    v1 = FlagdGrpcClient.evaluationV1(service.flagdEvaluation);
    v2 = FlagdGrpcClient.evaluationV2(service.flagdEvaluation);
  });

  afterAll(async () => {
    v1?.close();
    v2?.close();
    await service?.close();
  });

  const context = { context: toStruct({ targetingKey: 'a' }) };

  it("the issue's case: three v1 ResolveBoolean, one type mismatch and two OFREP calls add 6", async () => {
    const before = await scrape(service);
    for (let i = 0; i < 3; i++) await v1.call('ResolveBoolean', { flagKey: 'kill-switch', ...context });
    expect((await v1.status('ResolveString', { flagKey: 'kill-switch', ...context })).code).toBeGreaterThan(
      0,
    );
    for (let i = 0; i < 2; i++)
      await request(service.url)
        .post('/ofrep/v1/evaluate/flags/kill-switch')
        .send({ context: {} })
        .expect(200);
    const after = await scrape(service);
    expect(increase(after.evaluations, before.evaluations)).toEqual({ flagd_v1: 4, ofrep: 2 });
    expect(increase(after.timed, before.timed)).toEqual({ single: 6 });
  });

  it('counts and times each protocol: OFREP single and bulk, agent, flagd v1 and v2 on both paths', async () => {
    await expectEach(service, [
      [
        'OFREP single',
        () => request(service.url).post('/ofrep/v1/evaluate/flags/banner').send({ context: {} }).expect(200),
        { ofrep: 1 },
        { single: 1 },
        'ofrep',
      ],
      [
        'OFREP bulk',
        () => request(service.url).post('/ofrep/v1/evaluate/flags').send({ context: {} }).expect(200),
        { ofrep: 2 },
        { bulk: 1 },
        'ofrep',
      ],
      [
        'agent, one flag',
        () =>
          request(service.url)
            .get('/applications/local/environments/local/configurations/flags?flag=banner')
            .expect(200),
        { agent: 1 },
        { single: 1 },
      ],
      [
        'agent, every flag',
        () =>
          request(service.url).get('/applications/local/environments/local/configurations/flags').expect(200),
        { agent: 2 },
        { bulk: 1 },
      ],
      [
        'flagd v1 over the unary fast path (gRPC)',
        () => v1.call('ResolveString', { flagKey: 'banner', ...context }),
        { flagd_v1: 1 },
        { single: 1 },
        'fast-path',
      ],
      [
        'flagd v1 ResolveAll',
        () => v1.call('ResolveAll', context),
        { flagd_v1: 2 },
        { bulk: 1 },
        'fast-path',
      ],
      [
        'flagd v2 over the unary fast path (gRPC)',
        () => v2.call('ResolveBoolean', { flagKey: 'kill-switch', ...context }),
        { flagd_v2: 1 },
        { single: 1 },
        'fast-path',
      ],
      [
        'flagd v2 over connect-node (Connect JSON)',
        async () =>
          expect(
            await connectCall(service.flagdEvaluation, '/flagd.evaluation.v2.Service/ResolveBoolean', {
              flagKey: 'kill-switch',
            }),
          ).toBe(200),
        { flagd_v2: 1 },
        { single: 1 },
        'connect-node',
      ],
      [
        'flagd v1 over connect-node (Connect JSON)',
        async () =>
          expect(
            await connectCall(service.flagdEvaluation, '/flagd.evaluation.v1.Service/ResolveBoolean', {
              flagKey: 'kill-switch',
            }),
          ).toBe(200),
        { flagd_v1: 1 },
        { single: 1 },
        'connect-node',
      ],
    ]);
  });

  it('an answer with an error code is an evaluation on every protocol: counted and timed', async () => {
    const missing = { flagKey: 'missing', ...context };
    await expectEach(service, [
      [
        'OFREP single, flag not found',
        () => request(service.url).post('/ofrep/v1/evaluate/flags/missing').send({ context: {} }).expect(404),
        { ofrep: 1 },
        { single: 1 },
        'ofrep',
      ],
      [
        'flagd v1, flag not found (fast path)',
        async () => expect((await v1.status('ResolveBoolean', missing)).code).toBe(status.NOT_FOUND),
        { flagd_v1: 1 },
        { single: 1 },
        'fast-path',
      ],
      [
        'flagd v2, type mismatch (fast path)',
        async () =>
          expect((await v2.status('ResolveString', { flagKey: 'kill-switch', ...context })).code).toBe(
            status.INVALID_ARGUMENT,
          ),
        { flagd_v2: 1 },
        { single: 1 },
        'fast-path',
      ],
      [
        'flagd v2, flag not found (connect-node)',
        async () =>
          expect(
            await connectCall(service.flagdEvaluation, '/flagd.evaluation.v2.Service/ResolveBoolean', {
              flagKey: 'missing',
            }),
          ).toBe(404),
        { flagd_v2: 1 },
        { single: 1 },
        'connect-node',
      ],
    ]);
  });

  it('a refused request is no evaluation on any protocol: neither counted nor timed', async () => {
    // flagd: a source that matches nothing is an evaluation (FLAG_NOT_FOUND); a selector key it does not know is refused.
    const elsewhere = { 'flagd-selector': 'owner=nope' };
    await expectEach(service, [
      [
        'OFREP, unknown source',
        () =>
          request(service.url)
            .post('/ofrep/v1/evaluate/flags/banner')
            .set('x-flagfleet-source', 'local/local/nope')
            .send({ context: {} })
            .expect(400),
        {},
        {},
        'ofrep',
      ],
      [
        'agent, unknown configuration',
        () =>
          request(service.url).get('/applications/local/environments/local/configurations/nope').expect(404),
        {},
        {},
      ],
      [
        'flagd v1, bad selector',
        async () =>
          expect((await v1.status('ResolveBoolean', { flagKey: 'banner', ...context }, elsewhere)).code).toBe(
            status.INVALID_ARGUMENT,
          ),
        {},
        {},
        'fast-path',
      ],
      [
        'flagd v2, bad selector',
        async () =>
          expect((await v2.status('ResolveBoolean', { flagKey: 'banner', ...context }, elsewhere)).code).toBe(
            status.INVALID_ARGUMENT,
          ),
        {},
        {},
        'fast-path',
      ],
    ]);
  });

  it('sync is not an evaluation: FetchAllFlags is neither counted nor timed', async () => {
    const sync = FlagdGrpcClient.sync(service.flagdSync);
    try {
      await expectEach(service, [
        ['flagd sync FetchAllFlags', () => sync.call('FetchAllFlags', {}), {}, {}, 'fast-path'],
      ]);
    } finally {
      sync.close();
    }
  });

  it('the agent times a request for every flag as bulk, also when the source holds one flag', async () => {
    await expectEach(service, [
      [
        'agent, every flag of a one-flag source',
        () =>
          request(service.url).get('/applications/local/environments/local/configurations/solo').expect(200),
        { agent: 1 },
        { bulk: 1 },
      ],
      [
        'agent, that flag by name',
        () =>
          request(service.url)
            .get('/applications/local/environments/local/configurations/solo?flag=only')
            .expect(200),
        { agent: 1 },
        { single: 1 },
      ],
    ]);
  });
});
