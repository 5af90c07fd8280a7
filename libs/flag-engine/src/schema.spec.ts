import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv from 'ajv';
import { SCHEMA_FILE, renderSchema } from './cli/write-schema';
import { FLAG_DOCUMENT_SCHEMA } from './schema';

describe('FLAG_DOCUMENT_SCHEMA', () => {
  const validate = new Ajv({ strict: false }).compile(FLAG_DOCUMENT_SCHEMA);

  it('matches the shipped schema file (regenerate with `npx tsx libs/flag-engine/src/cli/write-schema.ts`)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(renderSchema());
  });

  it('accepts the example documents in flags/', () => {
    const dir = resolve(__dirname, '../../../flags');
    const files = readdirSync(dir).filter((file) => file.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      expect([
        file,
        validate(JSON.parse(readFileSync(join(dir, file), 'utf8'))),
        validate.errors ?? null,
      ]).toEqual([file, true, null]);
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
