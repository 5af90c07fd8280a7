import { LogicEngine } from 'json-logic-engine';
import { compileRule } from '../rules/compile-rule';
import { parseRuleText } from '../rules/parse-rule-text';
import { APPCONFIG_OPERATOR_BY_NAME, APPCONFIG_OPERATORS } from './index';
import { compileClosure } from './compile-closure';

const operators = APPCONFIG_OPERATOR_BY_NAME;
// The reference: the same operators, run by json-logic-engine's interpreter.
const interpreter = new LogicEngine();
for (const { name, evaluate } of Object.values(APPCONFIG_OPERATORS)) interpreter.addMethod(name, evaluate);

describe('compileClosure', () => {
  const rules = [
    '(and (eq $country "DE") (not (split pct::30 by::$userId seed::"s")))',
    '(or (in $id ["a", "b", 3]) (begins_with $email "ann") (ends_with $email ".org"))',
    '(and (gte $age 18) (lt $age "65") (contains $tags "beta"))',
    '(or (matches in::$greeting pattern::"h.*y") (exists key::"vip"))',
    '(gt $signedUp 2024-01-01T00:00Z)',
  ];
  const contexts = [
    {},
    { country: 'DE', userId: 'u1', id: 'b', email: 'ann@x.org', age: '30', tags: ['beta'] },
    {
      country: 'FR',
      userId: 'u2',
      id: 3,
      email: 'bob@x.com',
      age: 70,
      greeting: 'happy',
      signedUp: '2024-06-01',
    },
    { vip: false, age: null, signedUp: 'yesterday', __proto__: { country: 'DE' } },
  ];

  it.each(rules)('answers %s exactly as the interpreted operators do', (text) => {
    const rule = compileRule(parseRuleText(text), 'flag');
    const closure = compileClosure(rule, operators);
    if (closure === null) throw new Error('expected a closure');
    for (const context of contexts) expect(closure(context)).toBe(interpreter.run(rule as object, context));
  });

  it('short-circuits and/or, and leaves other JSON Logic to json-logic-engine', () => {
    let calls = 0;
    const counting = new Map(operators);
    const eq = APPCONFIG_OPERATORS.eq;
    counting.set(eq.name, {
      ...eq,
      evaluate: (args: unknown, context: unknown) => {
        calls++;
        return eq.evaluate(args, context);
      },
    });
    const closure = compileClosure(compileRule(parseRuleText('(or (eq $a 1) (eq $a 2))'), 'f'), counting);
    expect(closure?.({ a: 1 })).toBe(true);
    expect(calls).toBe(1);
    expect(compileClosure({ appconfig_not: [{ '==': [1, 1] }] }, operators)).toBeNull();
    expect(compileClosure({ var: '__proto__' }, operators)).toBeNull();
  });
});
