import type { JsonValue } from '../../model';
import type { FlagdRules } from '../operators/descriptor';
import { isString } from './comparison';
import { inertText, leaf, NO, type Truth } from './truth';

export type TextTest = 'begins_with' | 'ends_with' | 'contains';

interface TextOperator {
  /** flagd's operator testing `haystack` by `needle`. */
  readonly op: (haystack: JsonValue, needle: JsonValue) => JsonValue;
  /** The engine's answer for two known texts. */
  readonly test: (haystack: string, needle: string) => boolean;
}

const TEXT_TESTS: Readonly<Record<TextTest, TextOperator>> = {
  begins_with: { op: (h, n) => ({ starts_with: [h, n] }), test: (a, b) => a.startsWith(b) },
  ends_with: { op: (h, n) => ({ ends_with: [h, n] }), test: (a, b) => a.endsWith(b) },
  contains: { op: (h, n) => ({ in: [n, h] }), test: (a, b) => a.includes(b) },
};

/**
 * `begins_with` / `ends_with` / `contains` between a context value and a literal text: flagfleet tests strings,
 * and numbers and booleans as written (`true` begins with "t", 12345 with "12"); flagd's operators test strings
 * only. Booleans are two constant texts, so each is one more case; a number's text is not (no exact JSON Logic
 * test tells a number from a list), so the rule stays untranslated only where a number's text could answer.
 */
export function textTestTruth(kind: TextTest, args: readonly JsonValue[], rules: FlagdRules): Truth {
  return leaf(args, rules, (x, literal, varFirst) => {
    const text = String(literal);
    const { op, test } = TEXT_TESTS[kind];
    // A number's text is digits, ".", "e", "+", "-": it can hold the literal only if the literal is made of them;
    // it can be held by the literal only if the literal has a digit.
    if (varFirst ? !/[^0-9.e+-]/.test(text) : /[0-9]/.test(text)) return NO(textProblem(text, varFirst));
    const cases: JsonValue[] = [{ and: [isString(x), varFirst ? op(x, text) : op(text, x)] }];
    for (const boolean of [true, false])
      if (varFirst ? test(String(boolean), text) : test(text, String(boolean)))
        cases.push({ '===': [x, boolean] });
    // `contains` on a list: an element equals the literal (`merge` makes any value a list); a literal that reads
    // as a number or boolean would meet elements by conversion.
    if (kind === 'contains' && varFirst) {
      if (!inertText(literal)) return NO(textProblem(text, varFirst));
      cases.push({ in: [literal, { merge: [x] }] });
    }
    return cases.length === 1 ? cases[0] : { or: cases };
  });
}

function textProblem(literal: string, varFirst: boolean): string {
  if (!varFirst)
    return `an affix or \`contains\` of the context value in ${JSON.stringify(literal)}, which a number's text can be part of`;
  return `an affix or \`contains\` of ${JSON.stringify(literal)}, which a number's text can hold (or, for \`contains\` of a list, an element can equal by conversion)`;
}
