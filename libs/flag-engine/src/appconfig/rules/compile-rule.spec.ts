import { RuleError } from '../model';
import { APPCONFIG_OPERATORS, type AppConfigOperatorDescriptor } from '../operators';
import { compileRule } from './compile-rule';
import { parseRuleText } from './parse-rule-text';

const compile = (text: string): unknown => compileRule(parseRuleText(text), 'my-flag');

function problem(text: string): string {
  try {
    compile(text);
  } catch (error) {
    if (error instanceof RuleError) return `${error.at}: ${error.message}`;
  }
  throw new Error(`expected ${text} to be rejected`);
}

describe('compileRule', () => {
  it('compiles to JSON Logic with one custom operator per AppConfig operator', () => {
    expect(compile('(and (eq $country "DE") (not (split pct::10 by::$userId)))')).toEqual({
      appconfig_and: [
        { appconfig_eq: [{ var: 'country' }, 'DE'] },
        { appconfig_not: [{ appconfig_split: [10, { var: 'userId' }, null, 'my-flag'] }] },
      ],
    });
    expect(compile('(in $id ["a", 1])')).toEqual({ appconfig_in: [{ var: 'id' }, { preserve: ['a', 1] }] });
    expect(compile('(matches in::$g pattern::"h.*y")')).toEqual({
      appconfig_matches: [{ var: 'g' }, 'h.*y'],
    });
    expect(compile('(exists key::"country")')).toEqual({ appconfig_exists: ['country'] });
    expect(compile('(split by::$u pct::5 seed::"s")')).toEqual({
      appconfig_split: [5, { var: 'u' }, 's', 'my-flag'],
    });
  });

  it('compares timestamps as milliseconds and reads context keys literally', () => {
    expect(compile('(gt $signedUp 2024-01-01T00:00Z)')).toEqual({
      appconfig_gt: [{ appconfig_timestamp: [{ var: 'signedUp' }] }, Date.UTC(2024, 0, 1)],
    });
    expect(compile("(eq '$a.b/c' 1)")).toEqual({ appconfig_eq: [{ var: 'a\\.b\\/c' }, 1] });
  });

  it.each([
    ['(equals $a 1)', 'unknown operator "equals"'],
    ['(eq $a)', 'takes 2 operands, got 1'],
    ['(not (eq $a 1) (eq $b 2))', 'takes 1 operand'],
    ['(eq $a [1])', 'expected a value'],
    ['(in $a "x")', 'needs a list'],
    ['(in $a [[1]])', 'list items must be'],
    ['(split pct::101 by::$u)', 'pct:: must be a number from 0 to 100'],
    ['(split pct::10 by::"u")', 'by:: must be a context value'],
    ['(split pct::10)', 'needs by::'],
    ['(split pct::10 by::$u salt::"x")', 'has no argument salt::'],
    ['(matches in::$g pattern::"(")', 'not a valid regular expression'],
    ['(matches in::$g pattern::"(a)\\\\1")', 'no backreferences or lookaround'],
    ['(matches in::$g pattern::"a(?=b)")', 'no backreferences or lookaround'],
    ['(exists key::$country)', 'key:: must be a non-empty string'],
    ['(eq x::$a 1)', 'takes no named argument x::'],
    ['(begins_with $a 2024-01)', 'a timestamp can only be compared'],
    ['$flag', 'expected an expression'],
    ['(and)', 'needs at least one operand'],
  ])('rejects %j naming the problem', (text, message) => {
    expect(problem(text)).toContain(message);
  });

  it('names the place of the problem', () => {
    expect(problem('(and (eq $a 1) (foo $b))')).toBe(
      'character 16: unknown operator "foo" (known: eq gt gte lt lte and or not begins_with ends_with contains in matches exists split)',
    );
  });

  it('knows the operators from their descriptors: every one written in rule text, none internal', () => {
    const written = Object.values(APPCONFIG_OPERATORS).filter(
      (descriptor) => descriptor.operands !== 'internal',
    );
    expect(problem('(foo $b)')).toBe(
      `character 1: unknown operator "foo" (known: ${written.map((descriptor) => descriptor.ruleName).join(' ')})`,
    );
    // The internal timestamp conversion is a descriptor too, but not an operator of rule text.
    expect(problem('(timestamp $b)')).toContain('unknown operator "timestamp"');
  });

  it('a new descriptor is all it takes: rule text may name it, its operands checked by the shape it declares', () => {
    const registry = APPCONFIG_OPERATORS as Record<string, AppConfigOperatorDescriptor>;
    registry.shouts = { ...APPCONFIG_OPERATORS.ends_with, ruleName: 'shouts', name: 'appconfig_shouts' };
    try {
      expect(compile('(shouts $greeting "!")')).toEqual({ appconfig_shouts: [{ var: 'greeting' }, '!'] });
      expect(problem('(shouts $greeting)')).toContain('(shouts …) takes 2 operands, got 1');
      expect(problem('(foo $b)')).toContain(' split shouts)');
    } finally {
      delete registry.shouts;
    }
  });
});
