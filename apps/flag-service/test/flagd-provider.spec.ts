import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { OpenFeature, type Client } from '@openfeature/server-sdk';
import { FlagdProvider } from '@openfeature/flagd-provider';
import { OFREPProvider } from '@openfeature/ofrep-provider';
import { describeConformance } from '../../../test/support/conformance';
import { loadPickles } from '../../../test/support/gherkin';
import { SERVICE_FLAGS, startFlagService, type RunningFlagService } from './flag-service-harness';
import { evaluateWithSdk, ofrepAnswer, runPickle, type Scenario } from './testkit-scenarios';

type Mode = 'rpc' | 'in-process';
const MODES: readonly Mode[] = ['rpc', 'in-process'];

/** The published flagd provider (0.16, evaluation v2 + sync v1) in `mode`, pointed at the service. */
async function flagdClient(service: RunningFlagService, mode: Mode, domain: string): Promise<Client> {
  const [host, port] = (mode === 'rpc' ? service.flagdEvaluation : service.flagdSync).split(':');
  await OpenFeature.setProviderAndWait(
    domain,
    new FlagdProvider({
      host,
      port: Number(port),
      resolverType: mode,
      // Every answer from the server, so each scenario checks the service and not the provider's cache.
      cache: 'disabled',
      deadlineMs: 5_000,
    }),
  );
  return OpenFeature.getClient(domain);
}

/** The published OFREP provider against the same service: the answers in-process ones are compared with. */
async function ofrepClient(service: RunningFlagService, domain: string): Promise<Client> {
  await OpenFeature.setProviderAndWait(domain, new OFREPProvider({ baseUrl: service.url }));
  return OpenFeature.getClient(domain);
}

describe.each(MODES)('OpenFeature SDK + flagd provider (%s) against the service (own flags)', (mode) => {
  let service: RunningFlagService;
  let client: Client;

  beforeAll(async () => {
    service = await startFlagService({ flags: SERVICE_FLAGS });
    client = await flagdClient(service, mode, `own-${mode}`);
  });
  // RPC mode (grpc-js, binary protobuf): every evaluation served by the gRPC fast path, none by connect-node.
  let servedBefore = { 'fast-path': 0, 'connect-node': 0 };
  beforeEach(() => {
    servedBefore = { ...service.flagdServed() };
  });
  afterEach(() => {
    if (mode !== 'rpc') return;
    const served = service.flagdServed();
    expect(served['fast-path']).toBeGreaterThan(servedBefore['fast-path']);
    expect(served['connect-node']).toBe(servedBefore['connect-node']);
  });
  // Providers first: one whose server went away keeps a reconnect timer.
  afterAll(async () => {
    await OpenFeature.close();
    await service?.close();
  });

  it('resolves each value type with reason, variant and metadata', async () => {
    expect(await client.getBooleanDetails('kill-switch', true)).toMatchObject({
      value: false,
      reason: 'STATIC',
      variant: 'off',
      flagMetadata: { owner: 'ops' },
    });
    expect(
      await client.getStringDetails('banner-color', 'x', { targetingKey: 'u', email: 'ada@example.com' }),
    ).toMatchObject({ value: 'blue', reason: 'TARGETING_MATCH', variant: 'blue' });
    expect(await client.getNumberValue('retry-limit', 0)).toBe(3);
    expect(await client.getObjectValue('theme', {})).toEqual({ mode: 'light' });
  });

  it('answers the code default for a DISABLED flag and a flag without defaultVariant', async () => {
    expect(await client.getBooleanDetails('legacy-ui', true)).toMatchObject({
      value: true,
      reason: 'DISABLED',
    });
    expect(await client.getBooleanDetails('no-default', true, { plan: 'free' })).toMatchObject({
      value: true,
      reason: 'DEFAULT',
    });
    expect(await client.getBooleanDetails('no-default', false, { plan: 'pro' })).toMatchObject({
      value: true,
      reason: 'TARGETING_MATCH',
    });
  });

  it('gives FLAG_NOT_FOUND, TYPE_MISMATCH and GENERAL as the OpenFeature error codes', async () => {
    expect(await client.getBooleanDetails('missing', true)).toMatchObject({
      value: true,
      errorCode: 'FLAG_NOT_FOUND',
    });
    expect(await client.getNumberDetails('banner-color', 7)).toMatchObject({
      value: 7,
      errorCode: 'TYPE_MISMATCH',
    });
    expect(await client.getBooleanDetails('broken-rule', true)).toMatchObject({
      value: true,
      errorCode: 'GENERAL',
    });
  });
});

describe.each(MODES)(
  "OpenFeature SDK + flagd provider (%s): AWS AppConfig's multi-variant example",
  (mode) => {
    let service: RunningFlagService;
    let flagd: Client;
    let ofrep: Client;

    beforeAll(async () => {
      const example = JSON.parse(
        readFileSync(join(__dirname, '../../../libs/flag-engine/test/fixtures/aws-ui-refresh.json'), 'utf8'),
      ) as { flags: Record<string, unknown>; values: Record<string, unknown> };
      // Number literals, numbers in a list, two context values: typed numbers and numeric texts read alike.
      example.flags.pricing = { name: 'Pricing' };
      example.values.pricing = {
        _variants: [
          { name: 'Senior', enabled: true, rule: '(gte $age 65)' },
          { name: 'Team', enabled: true, rule: '(in $seats [10, 20])' },
          { name: 'Gold', enabled: true, rule: '(and (eq $tier 3) (lt $score "5"))' },
          { name: 'Over limit', enabled: true, rule: '(gt $seats $limit)' },
          { name: 'Standard', enabled: false },
        ],
      };
      // No flagd operator reads regular expressions: in process, this flag answers an error.
      example.flags.by_pattern = { name: 'By pattern' };
      example.values.by_pattern = {
        _variants: [
          { name: 'Staff', enabled: true, rule: '(matches in::$email pattern::"@example[.]com$")' },
          { name: 'Others', enabled: false },
        ],
      };
      service = await startFlagService({ ui: JSON.stringify(example) });
      flagd = await flagdClient(service, mode, `aws-${mode}`);
      ofrep = await ofrepClient(service, `aws-ofrep-${mode}`);
    });
    afterAll(async () => {
      await OpenFeature.close();
      await service?.close();
    });

    it('gives the same value, variant and reason as OFREP for every rule (ends_with, exists, split)', async () => {
      const contexts: Array<Record<string, string | boolean>> = [
        { email: 'jane_doe@qa-testers.mycompany.com' },
        { opted_in_to_beta: false },
        { email: 'nobody@example.org', opted_in_to_beta: true },
        {},
        ...Array.from({ length: 300 }, (_, i) => ({ email: `user-${i}@example.org` })),
      ];
      const variants = new Set<string | undefined>();
      for (const context of contexts) {
        const fromFlagd = await flagd.getBooleanDetails('ui_refresh', false, context);
        const fromOfrep = await ofrep.getBooleanDetails('ui_refresh', false, context);
        const answer = ({ value, variant, reason, errorCode }: typeof fromFlagd) => ({
          value,
          variant,
          reason,
          errorCode,
        });
        expect([context, answer(fromFlagd)]).toEqual([context, answer(fromOfrep)]);
        variants.add(fromFlagd.variant);
      }
      expect([...variants].sort()).toEqual(['Beta Testers', 'Default Variant', 'QA', 'Sample Population']);
    });

    it('gives the same answers as OFREP for numbers, numeric texts and two context values', async () => {
      const contexts: Array<Record<string, string | number | boolean>> = [
        {},
        { age: 65 },
        { age: '65.0' },
        { age: ' 70 ' },
        { age: 64.9 },
        { age: 'sixty' },
        { age: '0x41' },
        { age: true },
        { seats: 10 },
        { seats: '20' },
        { seats: 15 },
        { tier: 3, score: 4 },
        { tier: '3', score: '10' },
        { tier: 3, score: '10' },
        { tier: 3 },
        { seats: 30, limit: 25 },
        // Two texts compare as text ("9" > "10"), a number and a text as numbers.
        { seats: '9', limit: '10' },
        { seats: 9, limit: '10' },
      ];
      const variants = new Set<string | undefined>();
      for (const context of contexts) {
        const fromFlagd = await flagd.getBooleanDetails('pricing', false, context);
        const fromOfrep = await ofrep.getBooleanDetails('pricing', false, context);
        const { value, variant, reason, errorCode } = fromFlagd;
        expect([context, { value, variant, reason, errorCode }]).toEqual([
          context,
          {
            value: fromOfrep.value,
            variant: fromOfrep.variant,
            reason: fromOfrep.reason,
            errorCode: fromOfrep.errorCode,
          },
        ]);
        variants.add(variant);
      }
      expect([...variants].sort()).toEqual(['Gold', 'Over limit', 'Senior', 'Standard', 'Team']);
    });

    it('answers a flag without a flagd equivalent in RPC mode, with an error in process, and logs why', async () => {
      const context = { email: 'ada@example.com' };
      expect(await ofrep.getBooleanDetails('by_pattern', false, context)).toMatchObject({ variant: 'Staff' });
      const fromFlagd = await flagd.getBooleanDetails('by_pattern', false, context);
      if (mode === 'rpc') expect(fromFlagd).toMatchObject({ value: true, variant: 'Staff' });
      else expect(fromFlagd).toMatchObject({ value: false, errorCode: expect.any(String) });
      const warning = service
        .logs()
        .split('\n')
        .find((line) => line.includes('in-process flagd providers cannot evaluate'));
      expect(warning).toContain('"flag":"by_pattern"');
      expect(warning).toContain('regular-expression');
      expect(warning).not.toContain('"flag":"pricing"');
    });
  },
);

describe.each(MODES)(
  'OpenFeature SDK + flagd provider (%s): targeting that names $evaluators with $ref',
  (mode) => {
    // Sent as written, with `$evaluators` once: the in-process provider expands each `$ref` itself.
    const DOCUMENT = {
      $evaluators: {
        staff: { ends_with: [{ var: 'email' }, '@example.com'] },
        beta: { in: [{ var: 'plan' }, ['beta', 'canary']] },
      },
      flags: {
        banner: {
          state: 'ENABLED',
          variants: { blue: 'blue', red: 'red', grey: 'grey' },
          defaultVariant: 'grey',
          targeting: {
            if: [
              { $ref: 'staff' },
              'blue',
              { and: [{ $ref: 'beta' }, { '!': { $ref: 'staff' } }] },
              'red',
              null,
            ],
          },
        },
        'new-ui': {
          state: 'ENABLED',
          variants: { on: true, off: false },
          defaultVariant: 'off',
          targeting: { if: [{ or: [{ $ref: 'staff' }, { $ref: 'beta' }] }, 'on', 'off'] },
        },
      },
    };
    let service: RunningFlagService;
    let flagd: Client;
    let ofrep: Client;

    beforeAll(async () => {
      service = await startFlagService({ flags: DOCUMENT });
      flagd = await flagdClient(service, mode, `refs-${mode}`);
      ofrep = await ofrepClient(service, `refs-ofrep-${mode}`);
    });
    afterAll(async () => {
      await OpenFeature.close();
      await service?.close();
    });

    it('answers every branch as OFREP does', async () => {
      const contexts: Array<Record<string, string>> = [
        {},
        { email: 'ada@example.com' },
        { plan: 'beta' },
        { plan: 'canary', email: 'bob@example.org' },
        { plan: 'beta', email: 'eve@example.com' },
        { plan: 'free', email: 'x@example.org' },
      ];
      const variants = new Set<string | undefined>();
      for (const context of contexts) {
        const banner = await flagd.getStringDetails('banner', 'x', context);
        const fromOfrep = await ofrep.getStringDetails('banner', 'x', context);
        expect([context, banner.value, banner.variant, banner.reason]).toEqual([
          context,
          fromOfrep.value,
          fromOfrep.variant,
          fromOfrep.reason,
        ]);
        variants.add(banner.variant);
        const newUi = await flagd.getBooleanDetails('new-ui', false, context);
        expect([context, newUi.variant]).toEqual([
          context,
          (await ofrep.getBooleanDetails('new-ui', false, context)).variant,
        ]);
      }
      expect([...variants].sort()).toEqual(['blue', 'grey', 'red']);
    });
  },
);

describeConformance(['flagd-evaluator'], 'flagd evaluator testkit through the flagd provider', (dir) => {
  const pickles = loadPickles(join(dir, 'gherkin'), ['@fractional-v1']);
  let service: RunningFlagService;
  const clients = new Map<Mode, Client>();

  beforeAll(async () => {
    const document = JSON.parse(readFileSync(join(dir, 'flags', 'testkit-flags.json'), 'utf8')) as unknown;
    service = await startFlagService({ flags: document });
    for (const mode of MODES) clients.set(mode, await flagdClient(service, mode, `testkit-${mode}`));
  });
  afterAll(async () => {
    await OpenFeature.close();
    await service?.close();
  });

  it('has scenarios to run', () => {
    expect(pickles.length).toBeGreaterThan(50);
  });

  const cases = MODES.flatMap((mode) =>
    pickles.map(({ file, pickle }) => [`${mode} ${file}: ${pickle.name}`, mode, pickle] as const),
  );
  it.each(cases)('%s', async (_name, mode, pickle) => {
    const s = await runPickle(pickle, {
      evaluate: async (scenario: Scenario) => {
        await evaluateWithSdk(clients.get(mode) as Client, scenario);
        scenario.raw = await ofrepAnswer(service.url, scenario);
      },
    });
    // The same answer as OFREP: value (the fallback where OFREP has none), reason, variant, error code.
    // A type mismatch has no OFREP counterpart (OFREP single evaluation is untyped).
    if (s.details?.errorCode === 'TYPE_MISMATCH') return;
    const raw = s.raw ?? {};
    expect({
      value: s.details?.value,
      reason: s.details?.reason,
      variant: s.details?.variant,
      errorCode: s.details?.errorCode,
    }).toEqual({
      value: raw.errorCode === undefined && 'value' in raw ? raw.value : s.fallback,
      reason: raw.errorCode === undefined ? raw.reason : 'ERROR',
      variant: raw.variant,
      errorCode: raw.errorCode,
    });
  });
});
