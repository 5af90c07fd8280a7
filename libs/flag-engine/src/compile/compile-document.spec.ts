import { compileFlagDocument, type CompileOutcome } from './compile-document';

const doc = (flags: unknown, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ flags, ...extra });
const boolFlag = { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'on' };

function errorsOf(outcome: CompileOutcome): { flagKey?: string; path: string; code: string }[] {
  if (outcome.ok) throw new Error('expected a rejection');
  for (const problem of outcome.errors) expect(problem.severity).toBe('error');
  return outcome.errors.map(({ flagKey, path, code }) =>
    flagKey === undefined ? { path, code } : { flagKey, path, code },
  );
}

describe('compileFlagDocument: validation', () => {
  it('accepts the object form and the array form of "flags"', () => {
    const asObject = compileFlagDocument(doc({ a: boolFlag, b: boolFlag }));
    const asArray = compileFlagDocument(
      doc([
        { key: 'a', ...boolFlag },
        { key: 'b', ...boolFlag },
      ]),
    );
    for (const outcome of [asObject, asArray]) {
      expect(outcome.ok).toBe(true);
      if (outcome.ok) {
        expect(outcome.flags.format).toBe('flagd');
        expect(outcome.flags.keys).toEqual(['a', 'b']);
        expect(outcome.warnings).toEqual([]);
      }
    }
  });

  it('accepts bytes, with or without a UTF-8 byte order mark', () => {
    const bytes = new TextEncoder().encode('\ufeff' + doc({ a: boolFlag }));
    expect(compileFlagDocument(bytes).ok).toBe(true);
  });

  it.each([
    ['not JSON', '{"flags": ', [{ path: '', code: 'FLAGFLEET_DOCUMENT_NOT_JSON' }]],
    ['a JSON array', '[]', [{ path: '', code: 'FLAGFLEET_DOCUMENT_NO_FLAGS' }]],
    ['no "flags"', '{"flag": {}}', [{ path: '/flags', code: 'FLAGFLEET_DOCUMENT_NO_FLAGS' }]],
    ['"flags" as a string', doc('x'), [{ path: '/flags', code: 'FLAGFLEET_DOCUMENT_NO_FLAGS' }]],
    [
      'a flag that is not an object',
      doc({ a: 1 }),
      [{ flagKey: 'a', path: '/flags/a', code: 'FLAGFLEET_DOCUMENT_INVALID_SHAPE' }],
    ],
    [
      'a flag without variants',
      doc({ a: { state: 'ENABLED' } }),
      [{ flagKey: 'a', path: '/flags/a/variants', code: 'FLAGFLEET_FLAG_NO_VARIANTS' }],
    ],
    [
      'empty variants',
      doc({ a: { state: 'ENABLED', variants: {} } }),
      [{ flagKey: 'a', path: '/flags/a/variants', code: 'FLAGFLEET_FLAG_NO_VARIANTS' }],
    ],
    [
      'a defaultVariant not among the variants',
      doc({ a: { ...boolFlag, defaultVariant: 'maybe' } }),
      [{ flagKey: 'a', path: '/flags/a/defaultVariant', code: 'FLAGFLEET_FLAG_UNKNOWN_DEFAULT_VARIANT' }],
    ],
    [
      'variants of mixed types',
      doc({ a: { state: 'ENABLED', variants: { on: true, off: 'no' } } }),
      [{ flagKey: 'a', path: '/flags/a/variants/off', code: 'FLAGFLEET_FLAG_MIXED_VARIANT_TYPES' }],
    ],
    [
      'a null variant',
      doc({ a: { state: 'ENABLED', variants: { on: null } } }),
      [{ flagKey: 'a', path: '/flags/a/variants/on', code: 'FLAGFLEET_FLAG_MIXED_VARIANT_TYPES' }],
    ],
    [
      'an unknown state',
      doc({ a: { ...boolFlag, state: 'ON' } }),
      [{ flagKey: 'a', path: '/flags/a/state', code: 'FLAGFLEET_FLAG_UNKNOWN_STATE' }],
    ],
    [
      'a missing state',
      doc({ a: { variants: { on: true } } }),
      [{ flagKey: 'a', path: '/flags/a/state', code: 'FLAGFLEET_FLAG_UNKNOWN_STATE' }],
    ],
    [
      'targeting that is not an object',
      doc({ a: { ...boolFlag, targeting: 'on' } }),
      [{ flagKey: 'a', path: '/flags/a/targeting', code: 'FLAGFLEET_TARGETING_INVALID' }],
    ],
    [
      'non-primitive metadata',
      doc({ a: { ...boolFlag, metadata: { owner: { team: 'x' } } } }),
      [{ flagKey: 'a', path: '/flags/a/metadata/owner', code: 'FLAGFLEET_FLAG_INVALID_METADATA' }],
    ],
    [
      '"$evaluators" that is not an object',
      doc({ a: boolFlag }, { $evaluators: [] }),
      [{ path: '/$evaluators', code: 'FLAGFLEET_DOCUMENT_INVALID_SHAPE' }],
    ],
    [
      'duplicate keys in the array form',
      doc([
        { key: 'a', ...boolFlag },
        { key: 'a', ...boolFlag },
      ]),
      [{ flagKey: 'a', path: '/flags/1/key', code: 'FLAGFLEET_FLAG_INVALID_KEY' }],
    ],
    [
      'a flag without key in the array form',
      doc([boolFlag]),
      [{ path: '/flags/0/key', code: 'FLAGFLEET_FLAG_INVALID_KEY' }],
    ],
    [
      'a "__proto__" key',
      '{"flags": {"a": {"state": "ENABLED", "variants": {"on": {"__proto__": {"x": 1}}}}}}',
      [{ flagKey: 'a', path: '/flags/a/variants/on/__proto__', code: 'FLAGFLEET_DOCUMENT_RESERVED_KEY' }],
    ],
  ])('rejects %s, naming the flag and the problem', (_name, content, expected) => {
    expect(errorsOf(compileFlagDocument(content))).toEqual(expected);
  });

  it('rejects invalid UTF-8', () => {
    expect(errorsOf(compileFlagDocument(new Uint8Array([0x7b, 0xff, 0x7d])))).toEqual([
      { path: '', code: 'FLAGFLEET_DOCUMENT_NOT_JSON' },
    ]);
  });

  it('reports every broken flag of a document at once, with a readable message', () => {
    const outcome = compileFlagDocument(
      doc({ good: boolFlag, bad1: { state: 'X', variants: { a: 1 } }, bad2: { state: 'ENABLED' } }),
    );
    if (outcome.ok) throw new Error('expected a rejection');
    expect(outcome.errors.map((e) => e.flagKey)).toEqual(['bad1', 'bad2']);
    expect(outcome.errors[0].message).toBe('state must be "ENABLED" or "DISABLED", got "X"');
  });

  it('loads a flag whose targeting cannot compile, with a warning', () => {
    const outcome = compileFlagDocument(
      doc({
        unknownOp: { ...boolFlag, targeting: { no_such_operator: [1] } },
        missingRef: { ...boolFlag, targeting: { if: [{ $ref: 'nope' }, 'on', 'off'] } },
        ok: boolFlag,
      }),
    );
    if (!outcome.ok) throw new Error('expected success');
    expect(
      outcome.warnings.map(({ flagKey, path, code, severity }) => ({ flagKey, path, code, severity })),
    ).toEqual([
      {
        flagKey: 'unknownOp',
        path: '/flags/unknownOp/targeting',
        code: 'FLAGFLEET_TARGETING_NOT_COMPILABLE',
        severity: 'warning',
      },
      {
        flagKey: 'missingRef',
        path: '/flags/missingRef/targeting',
        code: 'FLAGFLEET_TARGETING_UNKNOWN_REF',
        severity: 'warning',
      },
    ]);
    expect(outcome.warnings[0].message).toContain('no_such_operator');
    expect(outcome.warnings[1].message).toContain('"nope"');
    for (const key of ['unknownOp', 'missingRef']) {
      expect(outcome.flags.evaluateFlag(key, {})).toMatchObject({
        key,
        reason: 'ERROR',
        errorCode: 'PARSE_ERROR',
      });
    }
    expect(outcome.flags.evaluateFlag('ok', {})).toMatchObject({ value: true, reason: 'STATIC' });
  });

  it('resolves $ref one level deep and keeps the resolved rule in the definition', () => {
    const outcome = compileFlagDocument(
      doc(
        {
          a: { ...boolFlag, targeting: { if: [{ $ref: 'isAdmin' }, 'on', 'off'] } },
          b: { ...boolFlag, targeting: { if: [{ $ref: 'nested' }, 'on', 'off'] } },
        },
        { $evaluators: { isAdmin: { '==': [{ var: 'role' }, 'admin'] }, nested: { $ref: 'isAdmin' } } },
      ),
    );
    if (!outcome.ok) throw new Error('expected success');
    expect(outcome.flags.definitions.get('a')?.targeting).toEqual({
      if: [{ '==': [{ var: 'role' }, 'admin'] }, 'on', 'off'],
    });
    expect(outcome.flags.evaluateFlag('a', { role: 'admin' })).toMatchObject({
      value: true,
      reason: 'TARGETING_MATCH',
    });
    // A $ref inside an evaluator is not followed: flagd does not nest.
    expect(outcome.flags.evaluateFlag('b', { role: 'admin' })).toMatchObject({ errorCode: 'PARSE_ERROR' });
  });

  it('never throws, whatever the input', () => {
    for (const content of [
      '',
      'null',
      '"x"',
      '1e999',
      '{"flags": null}',
      '{"flags": {"a": []}}',
      '{"flags": {"": {}}}',
      '\u0000',
    ]) {
      expect(() => compileFlagDocument(content)).not.toThrow();
      expect(compileFlagDocument(content).ok).toBe(false);
    }
  });
});
