import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { APPCONFIG_FEATURE_FLAGS_SCHEMA } from './appconfig/schema';
import { APPCONFIG_SCHEMA_FILE, SCHEMA_FILE, renderSchema } from './cli/write-schema';
import { FLAG_DOCUMENT_SCHEMA } from './schema';

describe('FLAG_DOCUMENT_SCHEMA', () => {
  const validate = new Ajv({ strict: false }).compile(FLAG_DOCUMENT_SCHEMA);

  it('matches the shipped schema file (regenerate with `npx tsx libs/flag-engine/src/cli/write-schema.ts`)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(renderSchema());
  });

  const validateAppConfig = addFormats(new Ajv({ strict: false })).compile(APPCONFIG_FEATURE_FLAGS_SCHEMA);

  it('matches the shipped AppConfig schema file', () => {
    expect(readFileSync(APPCONFIG_SCHEMA_FILE, 'utf8')).toBe(renderSchema(APPCONFIG_FEATURE_FLAGS_SCHEMA));
  });

  it("accepts AWS's documented multi-variant example and refuses what AppConfig's schema refuses", () => {
    const example = JSON.parse(
      readFileSync(resolve(__dirname, '../test/fixtures/aws-ui-refresh.json'), 'utf8'),
    );
    expect([validateAppConfig(example), validateAppConfig.errors ?? null]).toEqual([true, null]);
    const variant = { name: 'v', enabled: true, rule: '(eq $a 1)' };
    for (const bad of [
      { version: '2' },
      { version: '1', flags: { Bad: { name: 'x' } } },
      { version: '1', values: { a: { _variants: Array.from({ length: 33 }, () => variant) } } },
      { version: '1', values: { a: { enabled: true, list: [1, 'x'] } } },
    ])
      expect([bad, validateAppConfig(bad)]).toEqual([bad, false]);
  });

  it("accepts the example documents in flags/ (each against its format's schema)", () => {
    const dir = resolve(__dirname, '../../../flags');
    const files = readdirSync(dir).filter((file) => file.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const document = JSON.parse(readFileSync(join(dir, file), 'utf8'));
      const check = 'version' in document ? validateAppConfig : validate;
      expect([file, check(document), check.errors ?? null]).toEqual([file, true, null]);
    }
  });

  it.each([
    ['no flags', {}],
    ['an unknown state', { flags: { a: { state: 'ON', variants: { a: 1 } } } }],
    ['no variants', { flags: { a: { state: 'ENABLED' } } }],
    ['mixed variant types', { flags: { a: { state: 'ENABLED', variants: { a: 1, b: 'x' } } } }],
    [
      'non-primitive metadata',
      { flags: { a: { state: 'ENABLED', variants: { a: 1 }, metadata: { x: [] } } } },
    ],
    [
      'targeting that is a string',
      { flags: { a: { state: 'ENABLED', variants: { a: 1 }, targeting: 'x' } } },
    ],
  ])('rejects %s', (_name, document) => {
    expect(validate(document)).toBe(false);
  });
});
