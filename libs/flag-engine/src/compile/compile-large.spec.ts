import { monitorEventLoopDelay } from 'node:perf_hooks';
import { DEFAULT_DOCUMENT_LIMITS } from '../document/document-limits';
import { DocumentProblemCode } from '../errors';
import type { CompiledFlagSet } from '../evaluation/compiled-flags';
import { diffFlags } from '../diff-flags';
import { compileFlagDocument, compileFlagDocumentSliced, type CompileOutcome } from './compile-document';

const flag = (i: number, threshold = i) => ({
  state: 'ENABLED',
  variants: { on: true, off: false },
  defaultVariant: 'off',
  targeting: { if: [{ '>=': [{ var: 'score' }, threshold] }, 'on', null] },
  metadata: { owner: `team-${i % 7}` },
});
const documentOf = (count: number, edit?: (flags: Record<string, unknown>) => void): string => {
  const flags: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) flags[`flag-${i}`] = flag(i);
  edit?.(flags);
  return JSON.stringify({ flags });
};
const compiledOf = (outcome: CompileOutcome): CompiledFlagSet => {
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
  return outcome.flags as CompiledFlagSet;
};

describe('document limits, checked before parsing', () => {
  it('rejects a document over the size limit without parsing it (the 20 MB metadata string)', () => {
    const huge = JSON.stringify({ flags: { a: { ...flag(1), metadata: { blob: 'x'.repeat(20_000_000) } } } });
    const bytes = Buffer.from(huge);
    const started = Date.now();
    const outcome = compileFlagDocument(bytes);
    // Generous: a loaded machine delays anything; that it is not parsed is shown below.
    expect(Date.now() - started).toBeLessThan(1_000);
    // Not even read: broken JSON over the limit is refused for its size, not for its syntax.
    expect(compileFlagDocument(bytes.subarray(0, bytes.length - 5))).toMatchObject({
      errors: [{ code: 'FLAGFLEET_DOCUMENT_TOO_LARGE' }],
    });
    expect(outcome).toMatchObject({
      ok: false,
      errors: [{ code: 'FLAGFLEET_DOCUMENT_TOO_LARGE', path: '' }],
    });
    expect(compileFlagDocument(huge)).toMatchObject({
      ok: false,
      errors: [{ code: 'FLAGFLEET_DOCUMENT_TOO_LARGE' }],
    });
  });

  it('counts UTF-8 bytes of text, and honours a configured limit', () => {
    const text = documentOf(1);
    const bytes = Buffer.byteLength(text);
    expect(compileFlagDocument(text, { limits: { maxBytes: bytes } }).ok).toBe(true);
    expect(compileFlagDocument(text, { limits: { maxBytes: bytes - 1 } })).toMatchObject({ ok: false });
    const wide = JSON.stringify({ flags: { a: { ...flag(1), metadata: { name: 'é'.repeat(600) } } } });
    expect(compileFlagDocument(wide, { limits: { maxBytes: wide.length + 100 } })).toMatchObject({
      ok: false,
      errors: [{ code: 'FLAGFLEET_DOCUMENT_TOO_LARGE' }],
    });
  });

  it(`rejects JSON nested deeper than ${DEFAULT_DOCUMENT_LIMITS.maxDepth} levels before parsing it`, () => {
    // Built as text: a value this deep would overflow any recursive walk.
    const nested = (levels: number) =>
      JSON.stringify({ flags: { a: { ...flag(1), targeting: { if: ['@', 'on', null] } } } }).replace(
        '"@"',
        '{"!!":['.repeat(levels) + 'true' + ']}'.repeat(levels),
      );
    expect(compileFlagDocument(nested(20)).ok).toBe(true);
    expect(compileFlagDocument(nested(100_000))).toMatchObject({
      ok: false,
      errors: [{ code: 'FLAGFLEET_DOCUMENT_TOO_DEEP' }],
    });
  });
});

describe('compiling large documents', () => {
  it('reuses the compiled form of unchanged flags: a one-flag edit compiles one flag', () => {
    const first = compiledOf(compileFlagDocument(documentOf(2_000)));
    const edited = documentOf(2_000, (flags) => (flags['flag-7'] = flag(7, 999)));
    const second = compiledOf(compileFlagDocument(edited, { previous: first }));
    const recompiled = second.keys.filter((key) => second.compiled(key) !== first.compiled(key));
    expect(recompiled).toEqual(['flag-7']);
    expect(second.evaluateFlag('flag-7', { score: 10 })).toMatchObject({ reason: 'DEFAULT' });
    expect(second.evaluateFlag('flag-8', { score: 10 })).toMatchObject({
      value: true,
      reason: 'TARGETING_MATCH',
    });
    expect(diffFlags(first, second)).toEqual({ added: [], removed: [], changed: ['flag-7'] });
  });

  it('recompiles what a change of $evaluators or document metadata affects', () => {
    const doc = (rule: unknown, metadata: object) =>
      JSON.stringify({
        $evaluators: { rich: rule },
        metadata,
        flags: { a: { ...flag(1), targeting: { if: [{ $ref: 'rich' }, 'on', null] } }, b: flag(2) },
      });
    const first = compiledOf(compileFlagDocument(doc({ '>': [{ var: 'score' }, 5] }, { env: 'prod' })));
    const refChanged = compiledOf(
      compileFlagDocument(doc({ '>': [{ var: 'score' }, 50] }, { env: 'prod' }), { previous: first }),
    );
    expect(refChanged.compiled('a')).not.toBe(first.compiled('a'));
    expect(refChanged.compiled('b')).toBe(first.compiled('b'));
    expect(refChanged.evaluateFlag('a', { score: 10 })).toMatchObject({ reason: 'DEFAULT' });
    const metadataChanged = compiledOf(
      compileFlagDocument(doc({ '>': [{ var: 'score' }, 50] }, { env: 'dev' }), { previous: refChanged }),
    );
    expect(metadataChanged.compiled('b')?.rule).toBe(refChanged.compiled('b')?.rule);
    expect(metadataChanged.evaluateFlag('b', {}).metadata).toMatchObject({ env: 'dev' });
  });

  it('the sliced compile gives the same result and lets the event loop run while it works', async () => {
    const text = documentOf(3_000);
    const delay = monitorEventLoopDelay({ resolution: 1 });
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 1);
    delay.enable();
    const outcome = await compileFlagDocumentSliced(text, { sliceMs: 5 });
    delay.disable();
    clearInterval(ticker);
    const flags = compiledOf(outcome);
    expect(flags.keys).toHaveLength(3_000);
    expect(flags.evaluateFlag('flag-10', { score: 11 })).toMatchObject({ value: true });
    expect(ticks).toBeGreaterThan(5);
    // The parse is sliced too: no step is long (generous: a loaded CI machine also delays the loop).
    expect(delay.max / 1e6).toBeLessThan(250);
  });

  it('a document that is one flag with one list of ids, at the size limit, is compiled in steps: no walk of its rule holds a turn', async () => {
    const ids = Array.from({ length: 250_000 }, (_, i) => `user-${i.toString(36).padStart(8, '0')}`);
    const text = JSON.stringify({
      flags: {
        listed: {
          state: 'ENABLED',
          variants: { on: true, off: false },
          defaultVariant: 'off',
          targeting: { if: [{ in: [{ var: 'userId' }, ids] }, 'on', 'off'] },
        },
      },
    });
    expect(Buffer.byteLength(text)).toBeGreaterThan(DEFAULT_DOCUMENT_LIMITS.maxBytes * 0.95);
    let longest = 0;
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
    }, 1);
    const started = performance.now();
    // A turn per step: the longest turn is the longest step.
    const outcome = await compileFlagDocumentSliced(text, { sliceMs: 0 });
    const total = performance.now() - started;
    clearInterval(ticker);
    const flags = compiledOf(outcome);
    expect(flags.evaluateFlag('listed', { userId: ids[123_456] })).toMatchObject({ variant: 'on' });
    expect(flags.evaluateFlag('listed', { userId: 'someone-else' })).toMatchObject({ variant: 'off' });
    // The flag's rule walked in one step (nine walks, resolveRefs copying all of it) was 26-31% of the compile; 12% since.
    process.stdout.write(`one-list compile: longest turn ${longest.toFixed(0)} of ${total.toFixed(0)} ms\n`);
    expect(longest).toBeLessThan(total / 5);
  });

  it('a large document read in steps with one bad flag is still rejected whole, naming the flag', async () => {
    const text = documentOf(5_000, (flags) => {
      flags['flag-4321'] = { ...flag(4321), defaultVariant: 'missing' };
    });
    const outcome = await compileFlagDocumentSliced(text, { limits: { maxBytes: 32 * 1024 * 1024 } });
    expect(outcome).toEqual({
      ok: false,
      errors: [
        expect.objectContaining({ flagKey: 'flag-4321', code: DocumentProblemCode.UNKNOWN_DEFAULT_VARIANT }),
      ],
    });
    expect(compileFlagDocument(text, { limits: { maxBytes: 32 * 1024 * 1024 } })).toEqual(outcome);
  });

  it('a large document that is not JSON is rejected with where it breaks', async () => {
    const text = documentOf(5_000).replace('"flag-4321":{', '"flag-4321":{,');
    const outcome = await compileFlagDocumentSliced(text, { limits: { maxBytes: 32 * 1024 * 1024 } });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.errors).toHaveLength(1);
    expect(outcome.errors[0]).toMatchObject({ code: DocumentProblemCode.NOT_JSON });
    expect(outcome.errors[0].message).toContain(
      `position ${text.indexOf('"flag-4321"') + '"flag-4321":'.length}`,
    );
  });
});
