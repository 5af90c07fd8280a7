import { dirname, join } from 'node:path';
import { readFileSync } from 'node:fs';
import { OpenFeature, type Client, ProviderEvents } from '@openfeature/server-sdk';
import { OFREPProvider } from '@openfeature/ofrep-provider';
import { describeConformance } from '../../../test/support/conformance';
import { SERVICE_FLAGS, startFlagService, type RunningFlagService } from './flag-service-harness';
import { loadPickles } from '../../../test/support/gherkin';
import { waitFor } from '../../../test/support/wait-for';
import { evaluateWithSdk, ofrepAnswer, runPickle, type Scenario } from './testkit-scenarios';

const API_KEY = 'sdk-test-key';

/** The real OpenFeature server SDK with the published OFREP provider, pointed at a running service. */
async function sdkClient(service: RunningFlagService, domain: string): Promise<Client> {
  await OpenFeature.setProviderAndWait(
    domain,
    new OFREPProvider({ baseUrl: service.url, headers: { 'X-API-Key': API_KEY } }),
  );
  return OpenFeature.getClient(domain);
}

afterAll(() => OpenFeature.close());

describe('OpenFeature SDK + OFREP provider: AWS AppConfig multi-variant flags', () => {
  let service: RunningFlagService;
  let client: Client;

  beforeAll(async () => {
    const example = readFileSync(
      join(__dirname, '../../../libs/flag-engine/test/fixtures/aws-ui-refresh.json'),
      'utf8',
    );
    service = await startFlagService({ ui: example }, { API_KEYS: API_KEY });
    client = await sdkClient(service, 'appconfig-multi-variant');
  });
  afterAll(() => service?.close());
  // The provider's requests took OFREP's one path, the OFREP handler.
  let servedBefore = 0;
  beforeEach(() => {
    servedBefore = service.ofrepServed();
  });
  afterEach(() => {
    expect(service.ofrepServed()).toBeGreaterThan(servedBefore);
  });

  it("gives AWS's documented example its variant per context: enabled as the value, attributes as metadata", async () => {
    expect(
      await client.getBooleanDetails('ui_refresh', false, { email: 'jane_doe@qa-testers.mycompany.com' }),
    ).toMatchObject({
      value: true,
      variant: 'QA',
      reason: 'TARGETING_MATCH',
      flagMetadata: { dark_mode_support: true },
    });
    expect(await client.getBooleanDetails('ui_refresh', false, { opted_in_to_beta: false })).toMatchObject({
      value: true,
      variant: 'Beta Testers',
      reason: 'TARGETING_MATCH',
    });
    expect(await client.getBooleanDetails('ui_refresh', true, { email: 'nobody@example.org' })).toMatchObject(
      {
        value: false,
        variant: 'Default Variant',
        reason: 'DEFAULT',
        flagMetadata: {},
      },
    );
    let sample = 0;
    for (let i = 0; i < 200; i++) {
      const details = await client.getBooleanDetails('ui_refresh', false, { email: `${i}@example.org` });
      if (details.variant === 'Sample Population') {
        sample++;
        expect(details).toMatchObject({
          value: true,
          reason: 'TARGETING_MATCH',
          flagMetadata: { dark_mode_support: false },
        });
      }
    }
    expect(sample).toBeGreaterThan(8);
    expect(sample).toBeLessThan(40);
  });
});

describe('OpenFeature SDK + OFREP provider against the service (own flags)', () => {
  let service: RunningFlagService;
  let client: Client;

  beforeAll(async () => {
    service = await startFlagService({ flags: SERVICE_FLAGS }, { API_KEYS: API_KEY });
    client = await sdkClient(service, 'own-flags');
  });
  afterAll(() => service?.close());
  // The provider's requests took OFREP's one path, the OFREP handler.
  let servedBefore = 0;
  beforeEach(() => {
    servedBefore = service.ofrepServed();
  });
  afterEach(() => {
    expect(service.ofrepServed()).toBeGreaterThan(servedBefore);
  });

  it('resolves each value type with reason and variant', async () => {
    expect(await client.getBooleanDetails('kill-switch', true)).toMatchObject({
      value: false,
      reason: 'STATIC',
      variant: 'off',
      flagMetadata: { owner: 'ops' },
    });
    expect(
      await client.getStringDetails('banner-color', 'x', { targetingKey: 'u', email: 'ada@example.com' }),
    ).toMatchObject({
      value: 'blue',
      reason: 'TARGETING_MATCH',
    });
    expect(await client.getNumberValue('retry-limit', 0)).toBe(3);
    expect(await client.getObjectValue('theme', {})).toEqual({ mode: 'light' });
  });

  it('falls back to the code default with FLAG_NOT_FOUND, and on a type mismatch', async () => {
    expect(await client.getBooleanDetails('missing', true)).toMatchObject({
      value: true,
      errorCode: 'FLAG_NOT_FOUND',
    });
    expect(await client.getNumberDetails('banner-color', 7)).toMatchObject({
      value: 7,
      errorCode: 'TYPE_MISMATCH',
    });
  });

  it('falls back to the code default for a DISABLED flag (provider 0.1.3 reports it as GENERAL)', async () => {
    const details = await client.getBooleanDetails('legacy-ui', true);
    expect(details.value).toBe(true);
    expect(details.reason).toBe('ERROR');
  });

  it('gives the new value after a change, but emits no configuration-changed event (README says so)', async () => {
    const changed: unknown[] = [];
    client.addHandler(ProviderEvents.ConfigurationChanged, (details) => changed.push(details));
    await service.writeFlags('flags', {
      flags: {
        ...SERVICE_FLAGS.flags,
        'retry-limit': { ...SERVICE_FLAGS.flags['retry-limit'], defaultVariant: 'high' },
      },
    });
    await waitFor(async () => (await client.getNumberValue('retry-limit', 0)) === 10, {
      timeoutMs: 10_000,
      message: 'the changed value through the SDK',
    });
    // Every evaluation is a fresh HTTP call: current values, but the provider has no event code at all.
    expect(changed).toEqual([]);
    expect((new OFREPProvider({ baseUrl: service.url }) as { events?: unknown }).events).toBeUndefined();
  });
});

/** A success without `value` is a code default: the provider turns it into GENERAL, the contract into the fallback. */
function codeDefault(s: Scenario): boolean {
  return s.raw !== undefined && s.raw.errorCode === undefined && !('value' in s.raw);
}

describeConformance(
  ['flagd-evaluator'],
  'flagd evaluator testkit through HTTP with the OpenFeature SDK',
  (dir) => {
    const pickles = loadPickles(join(dir, 'gherkin'), ['@fractional-v1']);
    let service: RunningFlagService;
    let client: Client;

    beforeAll(async () => {
      const document = JSON.parse(readFileSync(join(dir, 'flags', 'testkit-flags.json'), 'utf8')) as unknown;
      service = await startFlagService({ flags: document }, { API_KEYS: API_KEY });
      client = await sdkClient(service, 'testkit');
    });
    afterAll(() => service?.close());

    it('has scenarios to run', () => {
      expect(pickles.length).toBeGreaterThan(50);
      expect(dirname(join(dir, 'gherkin'))).toBe(dir);
    });

    it.each(pickles.map(({ file, pickle }) => [`${file}: ${pickle.name}`, pickle] as const))(
      '%s',
      async (_name, pickle) => {
        const servedBefore = service.ofrepServed();
        await runPickle(pickle, {
          evaluate: async (s) => {
            await evaluateWithSdk(client, s);
            s.raw = await ofrepAnswer(service.url, s, { 'x-api-key': API_KEY });
          },
          reasonFromRaw: codeDefault,
        });
        // Answered on OFREP's one path, the OFREP handler.
        expect(service.ofrepServed()).toBeGreaterThan(servedBefore);
      },
    );
  },
);
