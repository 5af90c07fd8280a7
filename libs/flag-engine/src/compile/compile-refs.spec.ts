import { DEFAULT_DOCUMENT_LIMITS } from '../document/document-limits';
import { diffFlags } from '../diff-flags';
import { compileFlagDocument, type CompileOutcome } from './compile-document';

/**
 * Issue 26, hole 2: one evaluator (an `in` over 5,000 strings) referenced thousands of times. Inlined at every
 * reference and charged per copy, 5,000 references stalled the compile 5-11.5 s with 1.5 GB RSS, and 50,000 ran
 * out of string length after ~83 s; compiled once and called, the compile is linear in the document's size.
 */
const LIST = Array.from({ length: 5_000 }, (_, i) => `u${i}@example.com`);
const refDocument = (refs: number, refsPerFlag: number): string => {
  const flags: Record<string, unknown> = {};
  for (let i = 0; i < refs / refsPerFlag; i++)
    flags[`flag-${i}`] = {
      state: 'ENABLED',
      variants: { on: true, off: false },
      defaultVariant: 'off',
      targeting: {
        if: [{ or: Array.from({ length: refsPerFlag }, () => ({ $ref: 'listed' })) }, 'on', 'off'],
      },
    };
  return JSON.stringify({ $evaluators: { listed: { in: [{ var: 'email' }, LIST] } }, flags });
};
const refFlag = (name: string) => ({
  state: 'ENABLED',
  variants: { on: true, off: false },
  defaultVariant: 'off',
  targeting: { if: [{ $ref: name }, 'on', 'off'] },
});
const flagsOf = (outcome: CompileOutcome) => {
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
  return outcome.flags;
};

describe('$ref fan-out: an evaluator is compiled once and called', () => {
  it.each([
    ['5,000 references, 50 per flag', 5_000, 50, 250_000],
    ['50,000 references, 50 per flag', 50_000, 50, 1_200_000],
  ])('%s: compiled in bounded time and memory, answers kept', (_label, refs, perFlag, maxBytes) => {
    const content = refDocument(refs, perFlag);
    expect(content.length).toBeLessThan(Math.min(maxBytes, DEFAULT_DOCUMENT_LIMITS.maxBytes));
    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    const flags = flagsOf(compileFlagDocument(content));
    const elapsed = performance.now() - started;
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
    // Generous for a loaded machine: the inlining compile took 5-83 s and 1.5-2.2 GB.
    expect(elapsed).toBeLessThan(3_000);
    expect(heapGrowth).toBeLessThan(300 * 1024 * 1024);
    expect(flags.evaluateFlag('flag-0', { email: 'u4999@example.com' })).toMatchObject({
      value: true,
      variant: 'on',
      reason: 'TARGETING_MATCH',
    });
    // A re-compile against itself reuses every flag, and diffing does not write the evaluator out per reference.
    const again = flagsOf(compileFlagDocument(content, { previous: flags }));
    expect(diffFlags(flags, again)).toEqual({ added: [], removed: [], changed: [] });
  });

  it('an evaluator of any JSON type is compared once per flag on a redeploy, a 100 KB string as an object is', () => {
    // 5,000 references (50 per flag) to one 100 KB string: compared by its text at each reference, recompiling
    // against the previous snapshot (every later deploy's per-flag diff) took 5.5-6.4 s and 830-870 MB RSS.
    const document = (text: string) => {
      const flags: Record<string, unknown> = {};
      for (let i = 0; i < 100; i++)
        flags[`flag-${i}`] = {
          ...refFlag('text'),
          targeting: {
            if: [
              { in: [{ var: 'email' }, { or: Array.from({ length: 50 }, () => ({ $ref: 'text' })) }] },
              'on',
              'off',
            ],
          },
        };
      return JSON.stringify({ $evaluators: { text }, flags });
    };
    const text = 'x'.repeat(100_000);
    const before = flagsOf(compileFlagDocument(document(text)));
    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    const again = flagsOf(compileFlagDocument(document(text), { previous: before }));
    const elapsed = performance.now() - started;
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
    expect(elapsed).toBeLessThan(1_500);
    expect(heapGrowth).toBeLessThan(100 * 1024 * 1024);
    expect(diffFlags(before, again)).toEqual({ added: [], removed: [], changed: [] });
    // Every flag is reused as it was, not recompiled.
    expect(again.definitions.get('flag-0')).toBe(before.definitions.get('flag-0'));
    // A changed string is a changed definition for every flag that references it.
    const changed = flagsOf(compileFlagDocument(document(`${text}y`), { previous: again }));
    expect(diffFlags(again, changed).changed).toHaveLength(100);
    expect(changed.evaluateFlag('flag-0', { email: 'xy' })).toMatchObject({ variant: 'on' });
    expect(again.evaluateFlag('flag-0', { email: 'xy' })).toMatchObject({ variant: 'off' });
  });

  it.each([
    ['a number', 1, 2],
    ['a boolean', true, false],
    ['null and a string', null, 'null'],
  ])(
    'an evaluator that is %s: a changed value changes the flag, an unchanged one does not',
    (_label, a, b) => {
      const document = (value: unknown) =>
        JSON.stringify({ $evaluators: { value }, flags: { f: refFlag('value'), g: refFlag('value') } });
      const first = flagsOf(compileFlagDocument(document(a)));
      const same = flagsOf(compileFlagDocument(document(a), { previous: first }));
      expect(diffFlags(first, same).changed).toEqual([]);
      const other = flagsOf(compileFlagDocument(document(b), { previous: same }));
      expect(diffFlags(same, other).changed).toEqual(['f', 'g']);
    },
  );

  it('charges each call its evaluator: a context that runs 50 calls of a 5,000-string list is refused', () => {
    const flags = flagsOf(compileFlagDocument(refDocument(5_000, 50)));
    // The first call answers: one list scanned.
    expect(flags.evaluateFlag('flag-0', { email: 'u0@example.com' })).toMatchObject({ variant: 'on' });
    // 250,000 comparisons per evaluation (and 25 million for the document's 5,000 references): stopped by the evaluation budget, as any over-long run is.
    expect(flags.evaluateFlag('flag-0', { email: 'nobody@example.com' })).toMatchObject({
      reason: 'ERROR',
      errorCode: 'PARSE_ERROR',
      errorDetails: expect.stringContaining('evaluation budget'),
    });
  });

  it('a changed evaluator changes every flag that references it, and only those', () => {
    const document = (list: string[]) =>
      JSON.stringify({
        $evaluators: { listed: { in: [{ var: 'email' }, list] } },
        flags: {
          uses: refFlag('listed'),
          other: { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'off' },
        },
      });
    const before = flagsOf(compileFlagDocument(document(['a@x'])));
    const after = flagsOf(compileFlagDocument(document(['b@x']), { previous: before }));
    expect(diffFlags(before, after)).toEqual({ added: [], removed: [], changed: ['uses'] });
    expect(after.evaluateFlag('uses', { email: 'b@x' })).toMatchObject({ variant: 'on' });
    expect(after.evaluateFlag('uses', { email: 'a@x' })).toMatchObject({ variant: 'off' });
  });

  it('a $ref inside an evaluator is not followed (flagd resolves one level): the flag answers PARSE_ERROR', () => {
    const flags = flagsOf(
      compileFlagDocument(
        JSON.stringify({
          $evaluators: { outer: { $ref: 'inner' }, inner: true },
          flags: {
            f: refFlag('outer'),
          },
        }),
      ),
    );
    expect(flags.evaluateFlag('f', {})).toMatchObject({ errorCode: 'PARSE_ERROR' });
  });
});
