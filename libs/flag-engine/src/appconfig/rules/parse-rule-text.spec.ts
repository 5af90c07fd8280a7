import { RuleError } from '../model';
import { parseRuleText } from './parse-rule-text';

function errorOf(text: string): { message: string; at: string } {
  try {
    parseRuleText(text);
  } catch (error) {
    if (error instanceof RuleError) return { message: error.message, at: error.at };
  }
  throw new Error(`expected ${text} to be rejected`);
}

describe('parseRuleText', () => {
  it('reads operators, context values, named arguments, lists and every operand type', () => {
    const rule = parseRuleText(
      '(and (eq $state "Vir\\"ginia") (gt $age -7) (lt $score 1.234e-5) (in $id ["1", 2, true]) (split pct::10 by::$userId seed::"abc") (gte $t 2012-03-04T05:06:07-08:00))',
    );
    if (rule.kind !== 'call') throw new Error('expected a call');
    expect(rule.operator).toBe('and');
    expect(rule.args.map((arg) => (arg.kind === 'call' ? arg.operator : arg.kind))).toEqual([
      'eq',
      'gt',
      'lt',
      'in',
      'split',
      'gte',
    ]);
    expect(rule.args[0]).toMatchObject({
      args: [
        { kind: 'context', key: 'state' },
        { kind: 'string', value: 'Vir"ginia' },
      ],
    });
    expect(rule.args[1]).toMatchObject({ args: [{}, { kind: 'number', value: -7 }] });
    expect(rule.args[2]).toMatchObject({ args: [{}, { kind: 'number', value: 1.234e-5 }] });
    expect(rule.args[3]).toMatchObject({
      args: [{}, { kind: 'list', items: [{ value: '1' }, { value: 2 }, { kind: 'boolean', value: true }] }],
    });
    expect(rule.args[4]).toMatchObject({
      named: { pct: { value: 10 }, by: { kind: 'context', key: 'userId' }, seed: { value: 'abc' } },
    });
    expect(rule.args[5]).toMatchObject({
      args: [{}, { kind: 'timestamp', value: Date.UTC(2012, 2, 4, 13, 6, 7) }],
    });
  });

  it('reads month-precision timestamps and quoted context keys', () => {
    expect(parseRuleText('(lt $t 2024-01)')).toMatchObject({
      args: [{}, { kind: 'timestamp', value: Date.UTC(2024, 0, 1) }],
    });
    expect(parseRuleText('(eq \'$user-id\' "x")')).toMatchObject({
      args: [{ kind: 'context', key: 'user-id' }, {}],
    });
  });

  it.each([
    ['(eq $a "b"', 'character 11', '"(" at character 1 is never closed'],
    ['(eq $a "b") x', 'character 13', 'unexpected text'],
    ['(eq $a 12abc)', 'character 8', 'neither a number nor a W3C timestamp'],
    ['("eq" $a 1)', 'character 2', 'operator name'],
    ['(eq $a "\\q")', 'character 9', 'unknown escape'],
    ['(split pct::1 pct::2)', 'character 15', 'given twice'],
    ['(eq $a #)', 'character 8', 'unexpected character'],
    ['', 'character 1', 'ends too early'],
  ])('rejects %j at %s', (text, at, message) => {
    const error = errorOf(text);
    expect(error.at).toBe(at);
    expect(error.message).toContain(message);
  });

  it('bounds length and depth', () => {
    expect(errorOf('(not '.repeat(100) + '(eq $a 1)' + ')'.repeat(100)).message).toContain('nested deeper');
    expect(errorOf(`(eq $a "${'x'.repeat(17_000)}")`).message).toContain('longer than');
  });
});
