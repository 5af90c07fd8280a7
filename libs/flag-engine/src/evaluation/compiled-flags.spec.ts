import { compileOrThrow } from '../../test/compile';
import { isSharedResult } from './compiled-flag';

const flags = compileOrThrow({
  metadata: { flagSetId: 'shop', version: 3 },
  flags: {
    static: {
      state: 'ENABLED',
      variants: { on: true, off: false },
      defaultVariant: 'on',
      metadata: { version: 4, owner: 'team-a' },
    },
    emptyTargeting: { state: 'ENABLED', variants: { a: 'A', b: 'B' }, defaultVariant: 'b', targeting: {} },
    disabled: { state: 'DISABLED', variants: { on: true, off: false }, defaultVariant: 'on' },
    noDefault: { state: 'ENABLED', variants: { small: 1, big: 2 } },
    noDefaultTargeted: {
      state: 'ENABLED',
      variants: { small: 1, big: 2 },
      targeting: { if: [{ var: 'big' }, 'big', null] },
    },
    byEmail: {
      state: 'ENABLED',
      variants: { internal: 'staff', external: 'public' },
      defaultVariant: 'external',
      targeting: { if: [{ ends_with: [{ var: 'email' }, '@example.com'] }, 'internal', null] },
    },
    boolResult: {
      state: 'ENABLED',
      variants: { true: 'yes', false: 'no' },
      defaultVariant: 'false',
      targeting: { '==': [{ var: 'n' }, 1] },
    },
    numberResult: {
      state: 'ENABLED',
      variants: { '1': 'one', '2': 'two' },
      defaultVariant: '1',
      targeting: { var: 'n' },
    },
    anyResult: { state: 'ENABLED', variants: { a: 'A' }, defaultVariant: 'a', targeting: { var: 'pick' } },
    throwing: { state: 'ENABLED', variants: { a: 'A' }, defaultVariant: 'a', targeting: { throw: 'boom' } },
    flagd: {
      state: 'ENABLED',
      variants: { me: 'me', other: 'other' },
      defaultVariant: 'other',
      targeting: { if: [{ '==': [{ var: '$flagd.flagKey' }, 'flagd'] }, 'me', 'other'] },
    },
    computedFlagd: {
      state: 'ENABLED',
      variants: { me: 'me', other: 'other' },
      defaultVariant: 'other',
      targeting: {
        if: [{ '==': [{ var: { cat: ['$fl', 'agd.flagKey'] } }, 'computedFlagd'] }, 'me', 'other'],
      },
    },
    clock: {
      state: 'ENABLED',
      variants: { before: 'before', after: 'after' },
      defaultVariant: 'before',
      targeting: { if: [{ '>=': [{ var: '$flagd.timestamp' }, 1_700_000_000] }, 'after', 'before'] },
    },
    object: {
      state: 'ENABLED',
      variants: { empty: {}, full: { nested: { x: [1, 2] } } },
      defaultVariant: 'full',
    },
  },
});

describe('CompiledFlags: evaluation semantics', () => {
  it('answers FLAG_NOT_FOUND for an unknown key', () => {
    expect(flags.evaluateFlag('missing', {})).toEqual({
      key: 'missing',
      reason: 'ERROR',
      errorCode: 'FLAG_NOT_FOUND',
      errorDetails: 'flag "missing" not found',
      metadata: { flagSetId: 'shop', version: 3 },
    });
  });

  it('answers the default variant with STATIC when there is no targeting (absent or {})', () => {
    expect(flags.evaluateFlag('static', {})).toEqual({
      key: 'static',
      value: true,
      variant: 'on',
      reason: 'STATIC',
      metadata: { flagSetId: 'shop', version: 4, owner: 'team-a' },
    });
    expect(flags.evaluateFlag('emptyTargeting', { any: 1 })).toMatchObject({
      value: 'B',
      variant: 'b',
      reason: 'STATIC',
    });
  });

  it('answers DISABLED with neither value nor variant', () => {
    const result = flags.evaluateFlag('disabled', {});
    expect(result).toEqual({
      key: 'disabled',
      reason: 'DISABLED',
      metadata: { flagSetId: 'shop', version: 3 },
    });
  });

  it('answers DEFAULT without value when no defaultVariant exists ("use the code default")', () => {
    expect(flags.evaluateFlag('noDefault', {})).toEqual({
      key: 'noDefault',
      reason: 'DEFAULT',
      metadata: { flagSetId: 'shop', version: 3 },
    });
    expect(flags.evaluateFlag('noDefaultTargeted', { big: false })).toEqual({
      key: 'noDefaultTargeted',
      reason: 'DEFAULT',
      metadata: { flagSetId: 'shop', version: 3 },
    });
    expect(flags.evaluateFlag('noDefaultTargeted', { big: true })).toMatchObject({
      value: 2,
      variant: 'big',
      reason: 'TARGETING_MATCH',
    });
  });

  it('answers TARGETING_MATCH for a named variant, DEFAULT for null', () => {
    expect(flags.evaluateFlag('byEmail', { email: 'ann@example.com' })).toMatchObject({
      value: 'staff',
      variant: 'internal',
      reason: 'TARGETING_MATCH',
    });
    expect(flags.evaluateFlag('byEmail', { email: 'bob@else.org' })).toMatchObject({
      value: 'public',
      variant: 'external',
      reason: 'DEFAULT',
    });
    expect(flags.evaluateFlag('byEmail', {})).toMatchObject({ value: 'public', reason: 'DEFAULT' });
  });

  it('stringifies boolean and number results to find the variant', () => {
    expect(flags.evaluateFlag('boolResult', { n: 1 })).toMatchObject({
      value: 'yes',
      variant: 'true',
      reason: 'TARGETING_MATCH',
    });
    expect(flags.evaluateFlag('boolResult', { n: 2 })).toMatchObject({
      value: 'no',
      variant: 'false',
      reason: 'TARGETING_MATCH',
    });
    expect(flags.evaluateFlag('numberResult', { n: 2 })).toMatchObject({
      value: 'two',
      variant: '2',
      reason: 'TARGETING_MATCH',
    });
  });

  it('answers GENERAL when targeting names no variant', () => {
    expect(flags.evaluateFlag('anyResult', { pick: 'zzz' })).toMatchObject({
      reason: 'ERROR',
      errorCode: 'GENERAL',
    });
    expect(flags.evaluateFlag('anyResult', { pick: { a: 1 } })).toMatchObject({
      reason: 'ERROR',
      errorCode: 'GENERAL',
    });
    expect(flags.evaluateFlag('anyResult', { pick: ['a'] })).toMatchObject({
      reason: 'ERROR',
      errorCode: 'GENERAL',
    });
    // Inherited names are not variants.
    expect(flags.evaluateFlag('anyResult', { pick: 'toString' })).toMatchObject({
      reason: 'ERROR',
      errorCode: 'GENERAL',
    });
  });

  it('answers PARSE_ERROR when a rule fails while running', () => {
    expect(flags.evaluateFlag('throwing', {})).toMatchObject({ reason: 'ERROR', errorCode: 'PARSE_ERROR' });
  });

  it('injects $flagd.flagKey and $flagd.timestamp (unix seconds) over any caller $flagd, into a clone', () => {
    const context = { $flagd: { flagKey: 'someone-else', timestamp: 0 } };
    expect(flags.evaluateFlag('flagd', context)).toMatchObject({ value: 'me' });
    // Even through a computed path.
    expect(flags.evaluateFlag('computedFlagd', context)).toMatchObject({ value: 'me' });
    expect(flags.evaluateAll(context).find((r) => r.key === 'computedFlagd')).toMatchObject({ value: 'me' });
    expect(context).toEqual({ $flagd: { flagKey: 'someone-else', timestamp: 0 } });
    expect(flags.evaluateFlag('clock', {}, { now: 1_699_999_999_999 })).toMatchObject({ value: 'before' });
    expect(flags.evaluateFlag('clock', {}, { now: 1_700_000_000_000 })).toMatchObject({ value: 'after' });
  });

  it('answers TYPE_MISMATCH when the caller expects another type', () => {
    expect(flags.evaluateFlag('static', {}, { expectedType: 'string' })).toMatchObject({
      reason: 'ERROR',
      errorCode: 'TYPE_MISMATCH',
    });
    expect(flags.evaluateFlag('static', {}, { expectedType: 'boolean' })).toMatchObject({ value: true });
    expect(flags.evaluateFlag('object', {}, { expectedType: 'object' })).toMatchObject({
      value: { nested: { x: [1, 2] } },
    });
    // Nothing resolved, nothing to mismatch.
    expect(flags.evaluateFlag('disabled', {}, { expectedType: 'string' })).toMatchObject({
      reason: 'DISABLED',
    });
  });

  it('shares frozen results, values and metadata between calls (the snapshot cannot be altered)', () => {
    const first = flags.evaluateFlag('object', {});
    const second = flags.evaluateFlag('object', {});
    expect(second).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first.metadata) && Object.isFrozen(first.value)).toBe(
      true,
    );
    expect(() => {
      (first.value as { nested: { x: number[] } }).nested.x.push(3);
    }).toThrow(TypeError);
  });

  it('marks the results it returns to every evaluation that ends the same way as shared', () => {
    const sharedOnes = [
      flags.evaluateFlag('static', {}),
      flags.evaluateFlag('disabled', {}),
      flags.evaluateFlag('byEmail', { email: 'ann@example.com' }),
      flags.evaluateFlag('byEmail', {}),
      flags.evaluateFlag('static', {}, { expectedType: 'string' }),
    ];
    for (const result of sharedOnes) expect(isSharedResult(result)).toBe(true);
    const perEvaluation = [
      flags.evaluateFlag('anyResult', { pick: 'zzz' }),
      flags.evaluateFlag('throwing', {}),
      flags.evaluateFlag('missing', {}),
    ];
    for (const result of perEvaluation) expect(isSharedResult(result)).toBe(false);
  });

  it('evaluates every flag in document order with evaluateAll, each as evaluateFlag would', () => {
    const context = { email: 'ann@example.com', n: 2, big: true };
    const all = flags.evaluateAll(context, { now: 1_700_000_000_000 });
    expect(all.map((r) => r.key)).toEqual(flags.keys);
    for (const result of all)
      expect(result).toEqual(flags.evaluateFlag(result.key, context, { now: 1_700_000_000_000 }));
  });

  it('exposes keys, definitions and document metadata', () => {
    expect(flags.format).toBe('flagd');
    expect(flags.metadata).toEqual({ flagSetId: 'shop', version: 3 });
    expect(flags.definitions.get('static')).toEqual({
      key: 'static',
      state: 'ENABLED',
      variants: { on: true, off: false },
      defaultVariant: 'on',
      metadata: { version: 4, owner: 'team-a' },
      valueType: 'boolean',
    });
    expect(flags.definitions.get('emptyTargeting')?.targeting).toBeUndefined();
  });
});
