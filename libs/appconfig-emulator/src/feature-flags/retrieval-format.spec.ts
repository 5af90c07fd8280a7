import { loadAll } from 'ion-js';
import { acceptsFeatureFlagIon, retrievalFormats, retrievalFormatsSliced } from './retrieval-format';
import { turnsDuring } from '../../../../test/support/event-loop-turns';
import { realisticAppConfigDocument } from '../../../../test/support/realistic-flags';

const authoring = {
  version: '1',
  flags: { basic: { name: 'Basic' }, off: { name: 'Off' }, multi: { name: 'Multi' } },
  values: {
    basic: { enabled: true, color: 'red', ids: [1, 2], _createdAt: 't' },
    off: { enabled: false, color: 'blue' },
    multi: {
      _variants: [
        {
          name: 'QA',
          enabled: true,
          rule: '(ends_with $email "qa.example.com")',
          attributeValues: { level: 2 },
        },
        { name: 'Default', enabled: false, attributeValues: { level: 0 } },
      ],
    },
  },
};

describe('the retrieval formats of an authoring document', () => {
  const formats = retrievalFormats(Buffer.from(JSON.stringify(authoring)), 'application/json');

  it('serves basic flags as retrieval JSON, a disabled one as {"enabled": false}, multi-variant ones as their default', () => {
    expect(JSON.parse(formats?.json.toString() ?? '')).toEqual({
      basic: { enabled: true, color: 'red', ids: [1, 2] },
      off: { enabled: false },
      multi: { _variant: 'Default', enabled: false },
    });
  });

  it('serves Ion with each flag annotated, rules as s-expressions, the default variant last', () => {
    const values = loadAll(formats?.ion ?? Buffer.alloc(0));
    expect(values.map((value) => value.getAnnotations()[0])).toEqual(['basic', 'off', 'multi']);
    const multi = values[2];
    expect(multi.getType().name).toBe('list');
    const [pair, fallback] = [...(multi as unknown as Iterable<ReturnType<typeof loadAll>[number]>)];
    const [rule, json] = [...(pair as unknown as Iterable<ReturnType<typeof loadAll>[number]>)];
    expect(rule.getType().name).toBe('sexp');
    expect(JSON.parse(String(json.stringValue()))).toEqual({ _variant: 'QA', enabled: true, level: 2 });
    expect(JSON.parse(String(fallback.stringValue()))).toEqual({ _variant: 'Default', enabled: false });
  });

  it('leaves other content, and authoring documents AWS would refuse, as deployed', () => {
    expect(retrievalFormats(Buffer.from('{"flags": {}}'), 'application/json')).toBeNull();
    expect(retrievalFormats(Buffer.from('a: 1'), 'application/x-yaml')).toBeNull();
    const badKey = { ...authoring, flags: { Bad: { name: 'x' } } };
    expect(retrievalFormats(Buffer.from(JSON.stringify(badKey)), 'application/json')).toBeNull();
    const badRule = structuredClone(authoring);
    badRule.values.multi._variants[0].rule = '(eq $a';
    expect(retrievalFormats(Buffer.from(JSON.stringify(badRule)), 'application/json')).toBeNull();
    const basicOnly = { version: '1', flags: { a: { name: 'A' } }, values: { a: { enabled: true } } };
    expect(retrievalFormats(Buffer.from(JSON.stringify(basicOnly)), 'application/json')?.ion).toBeUndefined();
  });

  it('reads only content that can hold a "version" key (as written or escaped), or is declared a feature-flag profile', () => {
    const escaped = JSON.stringify(authoring).replace('"version"', '"\\u0076ersion"');
    expect(escaped).toContain('\\u0076ersion');
    expect(retrievalFormats(Buffer.from(escaped), 'application/json')?.json.toString()).toBe(
      formats?.json.toString(),
    );
    const { version: _version, ...unversioned } = authoring;
    const declared = 'application/json; type=AWS.AppConfig.FeatureFlags';
    expect(retrievalFormats(Buffer.from(JSON.stringify(unversioned)), declared)).not.toBeNull();
    expect(retrievalFormats(Buffer.from(JSON.stringify(unversioned)), 'application/json')).toBeNull();
  });

  it('recognises an Accept header that asks for the Ion feature-flag format', () => {
    expect(
      acceptsFeatureFlagIon('application/ion; type=AWS.AppConfig.FeatureFlags, application/json;q=0.9'),
    ).toBe(true);
    expect(acceptsFeatureFlagIon('application/ion;type=aws.appconfig.featureflags;q=0')).toBe(false);
    expect(acceptsFeatureFlagIon('application/json')).toBe(false);
    expect(acceptsFeatureFlagIon(undefined)).toBe(false);
  });
});

describe('retrievalFormatsSliced', () => {
  it('converts a large authoring document a few flags per turn, to the same formats', async () => {
    const content = realisticAppConfigDocument(1_000, 1);
    const { value, turns } = await turnsDuring(() => retrievalFormatsSliced(content, 'application/json'));
    // Converted at once, the 1,000 flags took a single turn.
    expect(turns).toBeGreaterThan(1);
    expect(value?.ion).toEqual(retrievalFormats(content, 'application/json')?.ion);
    expect(value?.json.equals(retrievalFormats(content, 'application/json')!.json)).toBe(true);
    expect(await retrievalFormatsSliced(Buffer.from('{"flags":{}}'), 'application/json')).toBeNull();
  });
});
