import { status } from '@grpc/grpc-js';
import type { UnaryTransport } from '@flagfleet/flagd-protocol';
import { startFlagService, type RunningFlagService } from './flag-service-harness';
import { FlagdGrpcClient, StreamReader, fromStruct, toStruct, type ProtoStruct } from './flagd-grpc-client';

/** Every outcome the protocols map, plus a flag-set metadata and a `$ref`. */
const FLAGS = {
  metadata: { team: 'core', version: 1 },
  $evaluators: { isPro: { '==': [{ var: 'plan' }, 'pro'] } },
  flags: {
    'kill-switch': {
      state: 'ENABLED',
      variants: { on: true, off: false },
      defaultVariant: 'off',
      metadata: { owner: 'ops', version: 2 },
    },
    'banner-color': {
      state: 'ENABLED',
      variants: { red: 'red', blue: 'blue' },
      defaultVariant: 'red',
      targeting: { if: [{ $ref: 'isPro' }, 'blue', null] },
    },
    ratio: { state: 'ENABLED', variants: { up: 2.7, down: -2.7 }, defaultVariant: 'up' },
    empty: { state: 'ENABLED', variants: { none: '', some: 'x' }, defaultVariant: 'none' },
    theme: { state: 'ENABLED', variants: { light: { mode: 'light' } }, defaultVariant: 'light' },
    'legacy-ui': { state: 'DISABLED', variants: { on: true, off: false }, defaultVariant: 'on' },
    'no-default': {
      state: 'ENABLED',
      variants: { on: true, off: false },
      targeting: { if: [{ $ref: 'isPro' }, 'on', null] },
    },
    'broken-rule': {
      state: 'ENABLED',
      variants: { on: true, off: false },
      defaultVariant: 'off',
      targeting: { if: [true, 'missing-variant', 'off'] },
    },
    'bad-ref': {
      state: 'ENABLED',
      variants: { on: true, off: false },
      defaultVariant: 'off',
      targeting: { $ref: 'nope' },
    },
  },
};

const OTHER = { flags: { only: { state: 'ENABLED', variants: { yes: 'other' }, defaultVariant: 'yes' } } };
const APPCONFIG = { 'dark-mode': { enabled: true, rollout: 'all' }, beta: { enabled: false } };

const request = (flagKey: string, context: Record<string, string> = {}) => ({
  flagKey,
  context: toStruct(context),
});

describe('flagd protocols served by the service (plain gRPC client)', () => {
  let service: RunningFlagService;
  let v1: FlagdGrpcClient;
  let v2: FlagdGrpcClient;
  let sync: FlagdGrpcClient;

  beforeAll(async () => {
    service = await startFlagService({ flags: FLAGS, other: OTHER, 'zz-appconfig': APPCONFIG });
    v1 = FlagdGrpcClient.evaluationV1(service.flagdEvaluation);
    v2 = FlagdGrpcClient.evaluationV2(service.flagdEvaluation);
    sync = FlagdGrpcClient.sync(service.flagdSync);
  });
  afterAll(async () => {
    for (const client of [v1, v2, sync]) client?.close();
    await service?.close();
  });

  // One path: a grpc-js client's unary calls (evaluation, FetchAllFlags, GetMetadata) are served by the gRPC
  // fast path only.
  let servedBefore: Readonly<Record<UnaryTransport, number>>;
  const servedSince = (): Record<UnaryTransport, number> => {
    const now = service.flagdServed();
    return {
      'fast-path': now['fast-path'] - servedBefore['fast-path'],
      'connect-node': now['connect-node'] - servedBefore['connect-node'],
    };
  };
  beforeEach(() => {
    servedBefore = service.flagdServed();
  });

  describe('evaluation v1', () => {
    afterEach(() => {
      expect(servedSince()).toEqual({ 'fast-path': expect.any(Number), 'connect-node': 0 });
      expect(servedSince()['fast-path']).toBeGreaterThan(0);
    });

    it('answers values with reason, variant and the merged flag-set + flag metadata', async () => {
      const answer = await v1.call('ResolveBoolean', request('kill-switch'));
      // proto3 v1 fields have no presence: false is the default and is not on the wire.
      expect({ value: false, ...answer }).toMatchObject({ value: false, reason: 'STATIC', variant: 'off' });
      expect(fromStruct(answer.metadata as ProtoStruct)).toEqual({ team: 'core', owner: 'ops', version: 2 });
      expect(await v1.call('ResolveString', request('banner-color', { plan: 'pro' }))).toMatchObject({
        value: 'blue',
        reason: 'TARGETING_MATCH',
      });
      expect(await v1.call('ResolveFloat', request('ratio'))).toMatchObject({ value: 2.7 });
      const object = await v1.call('ResolveObject', request('theme'));
      expect(fromStruct(object.value as ProtoStruct)).toEqual({ mode: 'light' });
    });

    it('truncates ResolveInt toward zero', async () => {
      expect(await v1.call('ResolveInt', request('ratio'))).toMatchObject({ value: '2', variant: 'up' });
    });

    it('answers a DISABLED flag with the zero value and no variant', async () => {
      const answer = await v1.call('ResolveBoolean', request('legacy-ui'));
      expect(answer).toMatchObject({ reason: 'DISABLED' });
      expect(answer.value ?? false).toBe(false);
      expect(answer.variant ?? '').toBe('');
    });

    it('maps errors to gRPC statuses with flagd messages; no defaultVariant is NOT_FOUND', async () => {
      expect(await v1.status('ResolveBoolean', request('missing'))).toEqual({
        code: status.NOT_FOUND,
        details: 'Flag not found',
      });
      expect((await v1.status('ResolveBoolean', request('no-default'))).code).toBe(status.NOT_FOUND);
      expect((await v1.status('ResolveString', request('kill-switch'))).code).toBe(status.INVALID_ARGUMENT);
      expect((await v1.status('ResolveBoolean', request('bad-ref'))).code).toBe(status.DATA_LOSS);
      expect(await v1.status('ResolveBoolean', request('broken-rule'))).toEqual({
        code: status.UNKNOWN,
        details: 'General error',
      });
    });

    it('ResolveAll includes disabled and erroring flags with zero values, leaves out flags without defaultVariant', async () => {
      const answer = await v1.call('ResolveAll', { context: toStruct({ plan: 'pro' }) });
      const flags = answer.flags as Record<string, Record<string, unknown>>;
      expect(Object.keys(flags).sort()).toEqual(
        [
          'bad-ref',
          'banner-color',
          'broken-rule',
          'empty',
          'kill-switch',
          'legacy-ui',
          'ratio',
          'theme',
        ].sort(),
      );
      expect(flags['banner-color']).toMatchObject({
        reason: 'TARGETING_MATCH',
        variant: 'blue',
        stringValue: 'blue',
      });
      expect(flags['legacy-ui']).toMatchObject({ reason: 'DISABLED', boolValue: false });
      expect(flags['broken-rule']).toMatchObject({ reason: 'ERROR', boolValue: false });
      expect(flags['bad-ref']).toMatchObject({ reason: 'ERROR', boolValue: false });
      expect(flags.ratio).toMatchObject({ doubleValue: 2.7, variant: 'up' });
      expect(fromStruct(flags.theme.objectValue as ProtoStruct)).toEqual({ mode: 'light' });
      expect(fromStruct(answer.metadata as ProtoStruct)).toEqual({ team: 'core', version: 1 });
    });
  });

  describe('evaluation v2', () => {
    afterEach(() => {
      expect(servedSince()).toEqual({ 'fast-path': expect.any(Number), 'connect-node': 0 });
      expect(servedSince()['fast-path']).toBeGreaterThan(0);
    });

    it('always sets the value of a success, also false, 0 and ""', async () => {
      const answer = await v2.call('ResolveBoolean', request('kill-switch'));
      expect(answer).toMatchObject({ value: false, _value: 'value', reason: 'STATIC', variant: 'off' });
      expect(await v2.call('ResolveString', request('empty'))).toMatchObject({ value: '', _value: 'value' });
      expect(await v2.call('ResolveInt', request('ratio'))).toMatchObject({ value: '2', _value: 'value' });
    });

    it('leaves value and variant unset for DISABLED and for no defaultVariant (reason DEFAULT)', async () => {
      const disabled = await v2.call('ResolveBoolean', request('legacy-ui'));
      expect(disabled.reason).toBe('DISABLED');
      expect(disabled._value).toBeUndefined();
      expect(disabled._variant).toBeUndefined();
      const noDefault = await v2.call('ResolveBoolean', request('no-default'));
      expect(noDefault.reason).toBe('DEFAULT');
      expect(noDefault._value).toBeUndefined();
      expect(noDefault._variant).toBeUndefined();
    });

    it('maps errors as v1 does', async () => {
      expect((await v2.status('ResolveBoolean', request('missing'))).code).toBe(status.NOT_FOUND);
      expect((await v2.status('ResolveFloat', request('kill-switch'))).code).toBe(status.INVALID_ARGUMENT);
      expect((await v2.status('ResolveBoolean', request('bad-ref'))).code).toBe(status.DATA_LOSS);
      expect((await v2.status('ResolveBoolean', request('broken-rule'))).code).toBe(status.UNKNOWN);
    });

    it('reads the source the flagd-selector header names (reflected in the metadata); one that matches nothing is FLAG_NOT_FOUND, as in flagd', async () => {
      expect(
        await v2.call('ResolveString', request('only'), { 'flagd-selector': 'local/local/other' }),
      ).toMatchObject({
        value: 'other',
      });
      const bySource = await v2.call('ResolveString', request('only'), {
        'flagd-selector': 'source=local/local/other',
      });
      expect(bySource).toMatchObject({ value: 'other' });
      expect(fromStruct(bySource.metadata as ProtoStruct)).toEqual({ source: 'local/local/other' });
      expect((await v2.status('ResolveString', request('only'))).code).toBe(status.NOT_FOUND);
      // flagd: a selector names a set of flags; an unknown source or flag set is an empty one, not a bad argument
      // (the Java provider reported INVALID_ARGUMENT as a type mismatch, and providers retried it for ever).
      for (const selector of ['local/local/nope', 'flagSetId=x', 'a/b'])
        expect(
          await v2.status('ResolveString', request('only'), { 'flagd-selector': selector }),
        ).toMatchObject({
          code: status.NOT_FOUND,
        });
      // Only a key flagd does not know is refused, its message shown as written (grpc-message was percent-encoded
      // so that grpc-js showed `%3A` and `%2F`).
      expect(
        await v2.status('ResolveString', request('only'), { 'flagd-selector': 'owner=local/ops' }),
      ).toMatchObject({
        code: status.INVALID_ARGUMENT,
        details: 'invalid selector: invalid selector key "owner", valid keys: "flagSetId", "source"',
      });
    });
  });

  describe('sync', () => {
    afterEach(() => {
      expect(servedSince()).toEqual({ 'fast-path': expect.any(Number), 'connect-node': 0 });
      expect(servedSince()['fast-path']).toBeGreaterThan(0);
    });

    it('FetchAllFlags answers the flag document: $ref as written with the $evaluators they name, flag-set metadata merged', async () => {
      const answer = await sync.call('FetchAllFlags', {});
      const document = JSON.parse(answer.flagConfiguration as string) as {
        flags: Record<string, Record<string, unknown>>;
        $evaluators: Record<string, unknown>;
      };
      expect(Object.keys(document)).toEqual(['flags', '$evaluators']);
      // In-process providers expand each $ref themselves (docs/flagd.md), sent once however often it is named.
      expect(document.$evaluators).toEqual({ isPro: { '==': [{ var: 'plan' }, 'pro'] } });
      expect(document.flags['banner-color']).toEqual({
        state: 'ENABLED',
        variants: { red: 'red', blue: 'blue' },
        defaultVariant: 'red',
        targeting: { if: [{ $ref: 'isPro' }, 'blue', null] },
        metadata: { team: 'core', version: 1 },
      });
      expect(document.flags['bad-ref'].targeting).toEqual({ $ref: 'nope' });
      expect(document.flags['kill-switch'].metadata).toEqual({ team: 'core', owner: 'ops', version: 2 });
      expect(document.flags['no-default']).not.toHaveProperty('defaultVariant');
    });

    it('translates an AppConfig feature-flag profile into the equivalent flagd document', async () => {
      const answer = await sync.call('FetchAllFlags', {}, { 'flagd-selector': 'local/local/zz-appconfig' });
      expect(JSON.parse(answer.flagConfiguration as string)).toEqual({
        flags: {
          'dark-mode': {
            state: 'ENABLED',
            variants: { on: true, off: false },
            defaultVariant: 'on',
            metadata: { rollout: 'all' },
          },
          beta: { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'off' },
        },
      });
    });

    it('takes the selector from the header over the deprecated request field', async () => {
      const byField = await sync.call('FetchAllFlags', { selector: 'local/local/other' });
      expect(Object.keys(JSON.parse(byField.flagConfiguration as string).flags)).toEqual(['only']);
      const byHeader = await sync.call(
        'FetchAllFlags',
        { selector: 'local/local/other' },
        { 'flagd-selector': 'local/local/flags' },
      );
      expect(Object.keys(JSON.parse(byHeader.flagConfiguration as string).flags)).toContain('kill-switch');
      const unknown = await sync.call('FetchAllFlags', { selector: 'nope' });
      expect(JSON.parse(unknown.flagConfiguration as string)).toEqual({ flags: {} });
      expect((await sync.status('FetchAllFlags', { selector: 'team=core' })).code).toBe(
        status.INVALID_ARGUMENT,
      );
    });

    it('GetMetadata answers as flagd does without static context: an empty struct', async () => {
      const answer = await sync.call('GetMetadata', {});
      expect(fromStruct(answer.metadata as ProtoStruct)).toEqual({});
    });
  });

  describe('streams', () => {
    it('SyncFlags and EventStream follow new revisions; an invalid document reaches neither', async () => {
      const syncStream = new StreamReader(
        sync.stream('SyncFlags', {}, { 'flagd-selector': 'local/local/other' }),
      );
      const events = new StreamReader(v2.stream('EventStream', {}));
      try {
        const first = await syncStream.next();
        expect(JSON.parse(first.flagConfiguration as string).flags.only.variants).toEqual({ yes: 'other' });
        expect(fromStruct(first.syncContext as ProtoStruct)).toEqual({});
        expect(await events.next()).toMatchObject({ type: 'provider_ready' });

        await service.writeFlags('other', '{"flags": {"only": {"state": "NOPE"}}}');
        await service.writeFlags('other', {
          flags: {
            only: { state: 'ENABLED', variants: { yes: 'changed' }, defaultVariant: 'yes' },
            added: { state: 'ENABLED', variants: { a: 1 }, defaultVariant: 'a' },
          },
        });
        const next = await syncStream.next(10_000);
        expect(JSON.parse(next.flagConfiguration as string).flags.only.variants).toEqual({ yes: 'changed' });
        const change = await events.next(10_000);
        expect(change.type).toBe('configuration_change');
        expect(fromStruct(change.data as ProtoStruct)).toEqual({
          flags: { only: { type: 'update' }, added: { type: 'write' } },
        });
        await service.writeFlags('other', {
          flags: { added: { state: 'ENABLED', variants: { a: 1 }, defaultVariant: 'a' } },
        });
        expect(fromStruct((await events.next(10_000)).data as ProtoStruct)).toEqual({
          flags: { only: { type: 'delete' } },
        });
        expect(
          Object.keys(JSON.parse((await syncStream.next(10_000)).flagConfiguration as string).flags),
        ).toEqual(['added']);
        // The rejected document produced nothing: exactly one message per valid revision.
        expect(syncStream.pending).toBe(0);
        expect(events.pending).toBe(0);
      } finally {
        syncStream.stream.cancel();
        events.stream.cancel();
      }
    });

    it('SyncFlags with a selector key flagd does not know ends with INVALID_ARGUMENT, its message shown as written', async () => {
      const reader = new StreamReader(sync.stream('SyncFlags', { selector: 'owner=nope/nope' }));
      const ended = (await reader.end()) as { code?: number; details?: string } | null;
      expect(ended?.code).toBe(status.INVALID_ARGUMENT);
      // connect-node serves streams: its grpc-message is spelled as the fast path spells it (grpc-js showed `%3A`).
      expect(ended?.details).toBe(
        'invalid selector: invalid selector key "owner", valid keys: "flagSetId", "source"',
      );
    });
  });
});

describe('flagd protocols with API keys', () => {
  let service: RunningFlagService;
  let v2: FlagdGrpcClient;

  beforeAll(async () => {
    service = await startFlagService({ flags: FLAGS }, { API_KEYS: 'grpc-key' });
    v2 = FlagdGrpcClient.evaluationV2(service.flagdEvaluation);
  });
  afterAll(async () => {
    v2?.close();
    await service?.close();
  });

  it('wants the same keys as HTTP, as a bearer token or x-api-key in the gRPC metadata', async () => {
    expect((await v2.status('ResolveBoolean', request('kill-switch'))).code).toBe(status.UNAUTHENTICATED);
    expect(
      (await v2.status('ResolveBoolean', request('kill-switch'), { authorization: 'Bearer wrong' })).code,
    ).toBe(status.PERMISSION_DENIED);
    expect(
      await v2.call('ResolveBoolean', request('kill-switch'), { authorization: 'Bearer grpc-key' }),
    ).toMatchObject({
      value: false,
    });
    expect(
      await v2.call('ResolveBoolean', request('kill-switch'), { 'x-api-key': 'grpc-key' }),
    ).toMatchObject({
      value: false,
    });
    const reader = new StreamReader(v2.stream('EventStream', {}));
    expect(((await reader.end()) as { code?: number } | null)?.code).toBe(status.UNAUTHENTICATED);
  });
});

describe('flagd protocols: operations', () => {
  let service: RunningFlagService;
  let v2: FlagdGrpcClient;
  let sync: FlagdGrpcClient;

  beforeAll(async () => {
    service = await startFlagService({ flags: FLAGS }, { BODY_LIMIT_BYTES: '4096' });
    v2 = FlagdGrpcClient.evaluationV2(service.flagdEvaluation);
    sync = FlagdGrpcClient.sync(service.flagdSync);
  });
  afterAll(async () => {
    v2?.close();
    sync?.close();
    await service?.close();
  });

  it('refuses a request message larger than BODY_LIMIT_BYTES with RESOURCE_EXHAUSTED', async () => {
    const big = request('kill-switch', { blob: 'x'.repeat(8_192) });
    expect((await v2.status('ResolveBoolean', big)).code).toBe(status.RESOURCE_EXHAUSTED);
    expect(await v2.call('ResolveBoolean', request('kill-switch'))).toMatchObject({ reason: 'STATIC' });
  });

  it('counts RPCs by method and outcome, and open streams', async () => {
    await v2.status('ResolveBoolean', request('missing'));
    const events = new StreamReader(v2.stream('EventStream', {}));
    await events.next();
    const scrape = await (await fetch(`${service.url}/metrics`)).text();
    expect(scrape).toMatch(
      /flagfleet_flagd_rpcs_total\{method="flagd.evaluation.v2.Service\/ResolveBoolean",outcome="ok"\} [1-9]/,
    );
    expect(scrape).toMatch(
      /flagfleet_flagd_rpcs_total\{method="flagd.evaluation.v2.Service\/ResolveBoolean",outcome="not_found"\} 1/,
    );
    expect(scrape).toMatch(/flagfleet_flagd_open_streams\{stream="event"\} 1/);
    events.stream.cancel();
    await events.end();
    // Calls are tallied apart and moved into the counter at each scrape: a scrape keeps what the last one read.
    await v2.status('ResolveBoolean', request('missing'));
    expect(await (await fetch(`${service.url}/metrics`)).text()).toMatch(
      /flagfleet_flagd_rpcs_total\{method="flagd.evaluation.v2.Service\/ResolveBoolean",outcome="not_found"\} 2/,
    );
  });

  it('on shutdown sends provider_shutdown on EventStream and ends it (as flagd), ends SyncFlags with UNAVAILABLE', async () => {
    const events = new StreamReader(v2.stream('EventStream', {}));
    const syncStream = new StreamReader(sync.stream('SyncFlags', {}));
    await events.next();
    await syncStream.next();
    const closing = service.close();
    expect(await events.next(10_000)).toMatchObject({ type: 'provider_shutdown' });
    const [eventsEnd, syncEnd] = (await Promise.all([events.end(10_000), syncStream.end(10_000)])) as Array<{
      code?: number;
      details?: string;
    } | null>;
    await closing;
    expect(eventsEnd?.code ?? status.OK).toBe(status.OK);
    expect(syncEnd).toMatchObject({ code: status.UNAVAILABLE, details: 'flagfleet is shutting down' });
  });
});

describe('flagd protocols: a sync document over FLAGD_MAX_MESSAGE_BYTES', () => {
  // 80 AppConfig flags with number rules: about 1 KB each in flagd JSON Logic, past a 64 KiB limit.
  const numberFlags = Array.from({ length: 80 }, (_, i) => `tier_${i}`);
  const PROFILE = {
    version: '1',
    flags: Object.fromEntries(numberFlags.map((key) => [key, { name: key }])),
    values: Object.fromEntries(
      numberFlags.map((key, i) => [
        key,
        {
          _variants: [
            { name: 'Senior', enabled: true, rule: `(gte $age ${60 + i})` },
            { name: 'Others', enabled: false },
          ],
        },
      ]),
    ),
  };
  const SELECTOR = { 'flagd-selector': 'local/local/tiers' };
  let service: RunningFlagService;
  let v2: FlagdGrpcClient;
  let sync: FlagdGrpcClient;

  beforeAll(async () => {
    service = await startFlagService({ flags: FLAGS, tiers: PROFILE }, { FLAGD_MAX_MESSAGE_BYTES: '65536' });
    v2 = FlagdGrpcClient.evaluationV2(service.flagdEvaluation);
    sync = FlagdGrpcClient.sync(service.flagdSync);
  });
  afterAll(async () => {
    v2?.close();
    sync?.close();
    await service?.close();
  });

  it('refuses it with RESOURCE_EXHAUSTED, naming the limit, and keeps serving everything else', async () => {
    const refused = await sync.status('FetchAllFlags', {}, SELECTOR);
    expect(refused.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(refused.details).toMatch(/larger than configured writeMaxBytes 65536/);
    const stream = new StreamReader(sync.stream('SyncFlags', {}, SELECTOR));
    expect(await stream.end(10_000)).toMatchObject({ code: status.RESOURCE_EXHAUSTED });
    // The same source in RPC mode and OFREP, and the default source's sync, answer as before.
    const context = toStruct({ age: '75' });
    expect(await v2.call('ResolveBoolean', { flagKey: 'tier_0', context }, SELECTOR)).toMatchObject({
      value: true,
      variant: 'Senior',
    });
    const ofrep = await fetch(`${service.url}/ofrep/v1/evaluate/flags/tier_0`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-flagfleet-source': 'local/local/tiers' },
      body: JSON.stringify({ context: { age: 75 } }),
    });
    expect(await ofrep.json()).toMatchObject({ value: true, variant: 'Senior' });
    const fetched = await sync.call('FetchAllFlags', {});
    expect(Object.keys(JSON.parse(fetched.flagConfiguration as string).flags)).toContain('kill-switch');
  });
});
