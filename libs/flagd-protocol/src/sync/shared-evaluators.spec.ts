import { Code, ConnectError } from '@connectrpc/connect';
import { FlagdCore } from '@openfeature/flagd-core';
import { compileFlagDocument, type CompiledFlags } from '@flagfleet/flag-engine';
import { syncDocument } from './sync-document';

const QUIET = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
/** FLAGD_MAX_MESSAGE_BYTES's default. */
const DEFAULT_MAX = 4_194_304;

function compiled(document: unknown): CompiledFlags {
  const outcome = compileFlagDocument(typeof document === 'string' ? document : JSON.stringify(document));
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
  return outcome.flags;
}

const usesRef = (name: string, extra: Record<string, unknown> = {}) => ({
  state: 'ENABLED',
  variants: { on: true, off: false },
  defaultVariant: 'off',
  targeting: { if: [{ $ref: name }, 'on', 'off'] },
  ...extra,
});

type SyncFlags = { flags: Record<string, { targeting?: unknown }>; $evaluators?: Record<string, unknown> };

function sent(flags: CompiledFlags, maxBytes = DEFAULT_MAX): SyncFlags {
  return JSON.parse(syncDocument(flags, maxBytes)) as SyncFlags;
}

/** @openfeature/flagd-core (what the JS provider runs in process) loaded with the sync document. */
function inProcess(flags: CompiledFlags): FlagdCore {
  const core = new FlagdCore(undefined, QUIET);
  core.setConfigurations(syncDocument(flags, DEFAULT_MAX));
  return core;
}

/**
 * Issue 26, hole 2, on sync: one evaluator (an `in` over 5,000 strings) referenced 5,000 times (~104 KB) or 50,000
 * times (~819 KB). Written out at every reference, the sync document held a copy of the evaluator per reference,
 * built before the size check: 5,000 references in one flag made a 175 MB text, 50,000 threw "Invalid string length".
 */
const LIST = Array.from({ length: 5_000 }, (_, i) => `${i}`);
const LISTED = { in: [{ var: 'email' }, LIST] };
function fanOut(refs: number, perFlag: number): string {
  const flags: Record<string, unknown> = {};
  for (let i = 0; i < refs / perFlag; i++)
    flags[`flag-${i}`] = {
      state: 'ENABLED',
      variants: { on: true, off: false },
      defaultVariant: 'off',
      targeting: { if: [{ or: Array.from({ length: perFlag }, () => ({ $ref: 'listed' })) }, 'on', 'off'] },
    };
  return JSON.stringify({ $evaluators: { listed: LISTED }, flags });
}

describe('sync document: $evaluators sent once, $ref expanded by clients', () => {
  const document = {
    $evaluators: {
      staff: { ends_with: [{ var: 'email' }, '@example.com'] },
      beta: { in: [{ var: 'plan' }, ['beta', 'canary']] },
    },
    flags: {
      'new-ui': usesRef('staff', { metadata: { owner: 'web' } }),
      banner: {
        state: 'ENABLED',
        variants: { red: 'red', blue: 'blue', grey: 'grey' },
        defaultVariant: 'grey',
        targeting: { if: [{ $ref: 'staff' }, 'blue', { $ref: 'beta' }, 'red', null] },
      },
      plain: { state: 'ENABLED', variants: { on: true }, defaultVariant: 'on' },
    },
  };

  it('keeps each $ref as written and sends each referenced evaluator once', () => {
    const flags = compiled(document);
    const text = syncDocument(flags, DEFAULT_MAX);
    const parsed = JSON.parse(text) as SyncFlags;
    expect(parsed.$evaluators).toEqual(document.$evaluators);
    expect(parsed.flags['new-ui']).toEqual({ ...document.flags['new-ui'] });
    expect(parsed.flags.banner.targeting).toEqual(document.flags.banner.targeting);
    expect(parsed.flags.plain).toEqual(document.flags.plain);
    expect(text.split('@example.com').length - 1).toBe(1);
  });

  it('answers in process (flagd-core) as the service does', () => {
    const flags = compiled(document);
    const core = inProcess(flags);
    const contexts: Array<Record<string, string>> = [
      {},
      { email: 'ada@example.com' },
      { plan: 'beta' },
      { email: 'x@y.org', plan: 'canary' },
    ];
    for (const context of contexts) {
      const service = flags.evaluateFlag('banner', context);
      const client = core.resolveStringEvaluation('banner', 'x', context, QUIET);
      expect([context, client.variant, client.reason]).toEqual([context, service.variant, service.reason]);
      const boolean = core.resolveBooleanEvaluation('new-ui', false, context, QUIET);
      expect([context, boolean.variant]).toEqual([context, flags.evaluateFlag('new-ui', context).variant]);
    }
  });

  it.each([
    // One flag holds at most 998 (`if`, `or` and its $refs: the engine's MAX_RULE_OPERATORS); more is refused at load.
    ['5,000 references, 998 per flag', 5_000, 998],
    ['50,000 references, 998 per flag', 50_000, 998],
    ['5,000 references, 50 per flag', 5_000, 50],
    ['50,000 references, 50 per flag', 50_000, 50],
  ])(
    '%s: refused with RESOURCE_EXHAUSTED at once, nothing of its expansion built',
    (_label, refs, perFlag) => {
      const flags = compiled(fanOut(refs, perFlag));
      const heapBefore = process.memoryUsage().heapUsed;
      const started = performance.now();
      let refusal: unknown;
      try {
        syncDocument(flags, DEFAULT_MAX);
      } catch (error) {
        refusal = error;
      }
      const elapsed = performance.now() - started;
      expect(refusal).toBeInstanceOf(ConnectError);
      expect((refusal as ConnectError).code).toBe(Code.ResourceExhausted);
      expect((refusal as ConnectError).rawMessage).toMatch(
        /larger than configured writeMaxBytes 4194304 \(FLAGD_MAX_MESSAGE_BYTES\), counting each \$ref as the evaluator a client expands it to/,
      );
      // Expanded, 50 references to the 34 KB evaluator are 1.7 MB: the document is given up within a few flags.
      expect(elapsed).toBeLessThan(500);
      expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(32 * 1024 * 1024);
    },
  );

  it('sends a document whose expansion fits, and refuses it one character under', () => {
    const flags = compiled(fanOut(40, 2));
    const text = syncDocument(flags, DEFAULT_MAX);
    const evaluator = JSON.stringify(LISTED);
    const expanded = text.length + 40 * (evaluator.length - '{"$ref":"listed"}'.length);
    expect(syncDocument(compiled(fanOut(40, 2)), expanded)).toBe(text);
    expect(() => syncDocument(compiled(fanOut(40, 2)), expanded - 1)).toThrow(/writeMaxBytes/);
    // What flagd-core builds from it is that size, and answers.
    const core = inProcess(flags);
    expect(core.resolveBooleanEvaluation('flag-19', false, { email: '42' }, QUIET).variant).toBe('on');
  });

  it('writes out an evaluator that a provider would not expand exactly, and only that one', () => {
    const flags = compiled({
      $evaluators: {
        // Go's encoder writes `<` as \u003c, so `{"$ref":"a<b"}` is not found in its text.
        'a<b': { '==': [{ var: 'x' }, 1] },
        // JavaScript's replaceAll reads $' as "the text after the match".
        dollar: { '==': [{ var: 'x' }, "$'"] },
        // Under 3 characters, the Go evaluator refuses the whole document.
        tiny: 1,
        // A $ref inside an evaluator is not followed (one level): the providers' replacement would follow it.
        outer: { $ref: 'inner' },
        inner: { '==': [{ var: 'x' }, 2] },
        shared: { '==': [{ var: 'x' }, 3] },
      },
      flags: {
        lt: usesRef('a<b'),
        dollar: usesRef('dollar'),
        tiny: {
          ...usesRef('tiny'),
          targeting: { if: [{ '==': [{ var: 'x' }, { $ref: 'tiny' }] }, 'on', 'off'] },
        },
        nested: usesRef('outer'),
        shared: usesRef('shared'),
        // A variant value shaped like a $ref is a value: no provider may expand it.
        value: {
          state: 'ENABLED',
          variants: { ref: { $ref: 'shared' }, other: {} },
          defaultVariant: 'ref',
          targeting: { if: [{ $ref: 'inner' }, 'other', 'ref'] },
        },
      },
    });
    const parsed = sent(flags);
    // `inner` is named inside an evaluator and `shared` in a variant value: both written out where resolved.
    expect(Object.keys(parsed.$evaluators ?? {})).toEqual(['outer']);
    expect(parsed.flags.lt.targeting).toEqual({ if: [{ '==': [{ var: 'x' }, 1] }, 'on', 'off'] });
    expect(parsed.flags.dollar.targeting).toEqual({ if: [{ '==': [{ var: 'x' }, "$'"] }, 'on', 'off'] });
    expect(parsed.flags.tiny.targeting).toEqual({ if: [{ '==': [{ var: 'x' }, 1] }, 'on', 'off'] });
    expect(parsed.flags.nested.targeting).toEqual({ if: [{ $ref: 'outer' }, 'on', 'off'] });
    expect(parsed.$evaluators?.outer).toEqual({ $ref: 'inner' });
    expect(parsed.flags.shared.targeting).toEqual({ if: [{ '==': [{ var: 'x' }, 3] }, 'on', 'off'] });
    expect(parsed.flags.value.targeting).toEqual({ if: [{ '==': [{ var: 'x' }, 2] }, 'other', 'ref'] });
    const core = inProcess(flags);
    const dollar = core.resolveBooleanEvaluation('dollar', false, { x: "$'" }, QUIET);
    expect(dollar).toMatchObject({ value: true, variant: 'on' });
    expect(flags.evaluateFlag('dollar', { x: "$'" })).toMatchObject({ value: true, variant: 'on' });
    for (const x of [1, 2, 3]) {
      for (const key of ['lt', 'dollar', 'tiny', 'shared'])
        expect([key, x, core.resolveBooleanEvaluation(key, false, { x }, QUIET).variant]).toEqual([
          key,
          x,
          flags.evaluateFlag(key, { x }).variant,
        ]);
      expect(core.resolveObjectEvaluation('value', {}, { x }, QUIET).value).toEqual(
        flags.evaluateFlag('value', { x }).value,
      );
      // The service answers PARSE_ERROR (a $ref inside an evaluator), the provider an error too.
      expect(flags.evaluateFlag('nested', { x }).errorCode).toBe('PARSE_ERROR');
      expect(core.resolveBooleanEvaluation('nested', false, { x }, QUIET).errorCode).toBeDefined();
    }
  });
});
