import { compileOrThrow } from '../../test/compile';
import {
  MAX_CONTEXT_ARRAY_LENGTH,
  MAX_CONTEXT_DEPTH,
  MAX_CONTEXT_KEYS,
  MAX_CONTEXT_STRING_LENGTH,
} from './context';

const variants = { hit: 'hit', miss: 'miss' };
const flags = compileOrThrow({
  flags: {
    constructorRule: {
      state: 'ENABLED',
      variants,
      defaultVariant: 'miss',
      targeting: { if: [{ var: 'constructor' }, 'hit', 'miss'] },
    },
    protoRule: {
      state: 'ENABLED',
      variants,
      defaultVariant: 'miss',
      targeting: { if: [{ var: '__proto__' }, 'hit', 'miss'] },
    },
    nestedProto: {
      state: 'ENABLED',
      variants,
      defaultVariant: 'miss',
      targeting: { if: [{ var: 'user.__proto__.admin' }, 'hit', 'miss'] },
    },
    prototypeRule: {
      state: 'ENABLED',
      variants,
      defaultVariant: 'miss',
      targeting: { if: [{ '==': [{ var: 'constructor.prototype' }, null] }, 'miss', 'hit'] },
    },
    admin: {
      state: 'ENABLED',
      variants,
      defaultVariant: 'miss',
      targeting: { if: [{ var: 'admin' }, 'hit', 'miss'] },
    },
    userAdmin: {
      state: 'ENABLED',
      variants,
      defaultVariant: 'miss',
      targeting: { if: [{ var: 'user.admin' }, 'hit', 'miss'] },
    },
    static: { state: 'ENABLED', variants, defaultVariant: 'miss' },
  },
});

describe('evaluation context hygiene', () => {
  afterEach(() => {
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a "__proto__" key from JSON.parse neither pollutes objects nor changes results', () => {
    const context = JSON.parse(
      '{"__proto__": {"admin": true, "polluted": "yes"}, "user": {"__proto__": {"admin": true}}}',
    ) as Record<string, unknown>;
    for (const key of flags.keys) {
      expect(flags.evaluateFlag(key, context)).toEqual(flags.evaluateFlag(key, {}));
    }
    expect(flags.evaluateAll(context)).toEqual(flags.evaluateAll({}));
  });

  it('rules reading "constructor", "prototype" or "__proto__" see a missing key', () => {
    for (const key of ['constructorRule', 'protoRule', 'nestedProto', 'prototypeRule']) {
      expect(flags.evaluateFlag(key, { user: {} })).toMatchObject({ value: 'miss' });
    }
  });

  it('leaves the caller context untouched', () => {
    const context = { user: { admin: true }, admin: true };
    const copy = structuredClone(context);
    flags.evaluateAll(context);
    expect(context).toEqual(copy);
    expect('$flagd' in context).toBe(false);
  });

  const deep = (levels: number): Record<string, unknown> => {
    let context: Record<string, unknown> = { leaf: 1 };
    for (let i = 1; i < levels; i++) context = { next: context };
    return context;
  };

  it(`accepts ${MAX_CONTEXT_DEPTH} levels and rejects deeper contexts with INVALID_CONTEXT`, () => {
    expect(flags.evaluateFlag('admin', deep(MAX_CONTEXT_DEPTH))).toMatchObject({
      value: 'miss',
      reason: 'TARGETING_MATCH',
    });
    expect(flags.evaluateFlag('admin', deep(MAX_CONTEXT_DEPTH + 1))).toMatchObject({
      reason: 'ERROR',
      errorCode: 'INVALID_CONTEXT',
    });
    expect(flags.evaluateFlag('static', deep(10_000))).toMatchObject({ errorCode: 'INVALID_CONTEXT' });
  });

  it(`rejects contexts with more than ${MAX_CONTEXT_KEYS} keys`, () => {
    const huge = Object.fromEntries(Array.from({ length: MAX_CONTEXT_KEYS + 1 }, (_, i) => [`k${i}`, i]));
    const all = flags.evaluateAll(huge);
    expect(all.every((r) => r.errorCode === 'INVALID_CONTEXT')).toBe(true);
    const wide = { list: Array.from({ length: MAX_CONTEXT_KEYS + 1 }, (_, i) => i) };
    expect(flags.evaluateFlag('admin', wide)).toMatchObject({ errorCode: 'INVALID_CONTEXT' });
  });

  it(`rejects arrays over ${MAX_CONTEXT_ARRAY_LENGTH} elements and strings over ${MAX_CONTEXT_STRING_LENGTH} characters`, () => {
    const list = (length: number): number[] => Array.from({ length }, (_, i) => i);
    expect(flags.evaluateFlag('admin', { list: list(MAX_CONTEXT_ARRAY_LENGTH) })).toMatchObject({
      value: 'miss',
    });
    expect(flags.evaluateFlag('admin', { user: { list: list(MAX_CONTEXT_ARRAY_LENGTH + 1) } })).toMatchObject(
      {
        errorCode: 'INVALID_CONTEXT',
        errorDetails: `an array in the evaluation context has more than ${MAX_CONTEXT_ARRAY_LENGTH} elements`,
      },
    );
    const long = 'x'.repeat(MAX_CONTEXT_STRING_LENGTH + 1);
    expect(flags.evaluateFlag('admin', { name: long.slice(1) })).toMatchObject({ value: 'miss' });
    for (const context of [{ name: long }, { names: ['a', long] }]) {
      expect(flags.evaluateFlag('admin', context)).toMatchObject({ errorCode: 'INVALID_CONTEXT' });
    }
  });

  it('rejects cyclic and non-object contexts with INVALID_CONTEXT, never throwing', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(flags.evaluateFlag('admin', cyclic)).toMatchObject({ errorCode: 'INVALID_CONTEXT' });
    for (const bad of [[1, 2], 'text', 42]) {
      expect(flags.evaluateFlag('admin', bad as unknown as Record<string, unknown>)).toMatchObject({
        errorCode: 'INVALID_CONTEXT',
      });
    }
    expect(flags.evaluateFlag('admin', undefined as unknown as Record<string, unknown>)).toMatchObject({
      value: 'miss',
      reason: 'TARGETING_MATCH',
    });
  });

  it('still reads ordinary nested properties', () => {
    expect(flags.evaluateFlag('userAdmin', { user: { admin: true } })).toMatchObject({ value: 'hit' });
    expect(flags.evaluateFlag('admin', { admin: true })).toMatchObject({ value: 'hit' });
  });
});
