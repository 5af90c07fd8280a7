import { DocumentProblemCode } from '../errors';
import { compileFlagDocument, compileFlagDocumentSliced } from './compile-document';
import { MAX_RULE_OPERATORS } from './rule-operators';

/**
 * Issue 26, hole 2: one rule is compiled in one step. One flag of 5,000 or 50,000 `$ref`s held the event loop
 * ~150-700 ms in that step and its build overflowed the stack ("Maximum call stack size exceeded": the flag answered
 * PARSE_ERROR, the document loaded); a rule over MAX_RULE_OPERATORS is now refused at load, naming it.
 */
const flag = (targeting: unknown) => ({
  state: 'ENABLED',
  variants: { on: true, off: false },
  defaultVariant: 'off',
  targeting,
});
const refs = (count: number) => Array.from({ length: count }, () => ({ $ref: 'one' }));
const document = (flags: Record<string, unknown>, evaluators: Record<string, unknown> = {}) =>
  JSON.stringify({ $evaluators: { one: { '==': [{ var: 'x' }, 1] }, text: 'a', ...evaluators }, flags });

describe('the operators of one flagd rule are bounded', () => {
  it.each([
    ['an `or` of 5,000 $refs', { if: [{ or: refs(5_000) }, 'on', 'off'] }],
    ['an `or` of 50,000 $refs', { if: [{ or: refs(50_000) }, 'on', 'off'] }],
    [
      'an `in` list of 50,000 $refs',
      { if: [{ in: [{ var: 's' }, Array.from({ length: 50_000 }, () => ({ $ref: 'text' }))] }, 'on', 'off'] },
    ],
    [
      'an `if` of 4,000 conditions',
      { if: [...Array.from({ length: 4_000 }, (_, i) => [{ '==': [{ var: 'x' }, i] }, 'on']).flat(), 'off'] },
    ],
  ])('%s: refused at load naming the flag, within bounded time', async (_label, targeting) => {
    const content = document({ small: flag({ if: [{ $ref: 'one' }, 'on', 'off'] }), wide: flag(targeting) });
    const started = performance.now();
    const outcome = await compileFlagDocumentSliced(content);
    // Generous for a loaded machine: refused by counting, nothing of the rule is compiled.
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(outcome).toEqual({
      ok: false,
      errors: [
        {
          flagKey: 'wide',
          path: '/flags/wide/targeting',
          severity: 'error',
          code: DocumentProblemCode.TARGETING_TOO_LARGE,
          message: expect.stringContaining(`more than ${MAX_RULE_OPERATORS} operators`),
        },
      ],
    });
  });

  it('an evaluator over the bound is refused at load, naming it', () => {
    const wide = { or: Array.from({ length: 2_000 }, (_, i) => ({ '==': [{ var: 'x' }, i] })) };
    const outcome = compileFlagDocument(
      document({ f: flag({ if: [{ $ref: 'wide' }, 'on', 'off'] }) }, { wide }),
    );
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.errors).toContainEqual(
      expect.objectContaining({ path: '/$evaluators/wide', code: DocumentProblemCode.TARGETING_TOO_LARGE }),
    );
  });

  it('a rule at the bound compiles in one bounded step and answers', () => {
    // `if` and `or` and 998 $refs: the largest rule accepted.
    const content = document({ wide: flag({ if: [{ or: refs(MAX_RULE_OPERATORS - 2) }, 'on', 'off'] }) });
    const started = performance.now();
    const outcome = compileFlagDocument(content);
    const elapsed = performance.now() - started;
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
    // 16-60 ms at load 2 (the whole document: it is one rule); generous for a loaded machine.
    expect(elapsed).toBeLessThan(500);
    expect(outcome.warnings).toEqual([]);
    expect(outcome.flags.evaluateFlag('wide', { x: 1 })).toMatchObject({
      variant: 'on',
      reason: 'TARGETING_MATCH',
    });
    expect(outcome.flags.evaluateFlag('wide', { x: 2 })).toMatchObject({
      variant: 'off',
      reason: 'TARGETING_MATCH',
    });
  });
});
