import type { JsonValue } from '../model';
import { literalResults } from './result-variants';

describe('literalResults', () => {
  it('lists the then and else branches of if, nested ones too, and not the conditions', () => {
    const rule: JsonValue = {
      if: [{ '==': [{ var: 'a' }, 'x'] }, 'on', { var: 'b' }, true, { if: [{ var: 'c' }, 7, null] }],
    };
    expect(literalResults(rule)).toEqual([
      { value: 'on', at: ['if', 1] },
      { value: 'true', at: ['if', 3] },
      { value: '7', at: ['if', 4, 'if', 1] },
    ]);
  });

  it('reads ?: like if, and a two-argument if has no else', () => {
    expect(literalResults({ '?:': [{ var: 'a' }, 'yes', 'no'] }).map((r) => r.value)).toEqual(['yes', 'no']);
    expect(literalResults({ if: [{ var: 'a' }, 'yes'] }).map((r) => r.value)).toEqual(['yes']);
  });

  it('lists fractional bucket names, with or without a bucketing expression', () => {
    expect(
      literalResults({
        fractional: [
          ['a', 50],
          ['b', 50],
        ],
      }),
    ).toEqual([
      { value: 'a', at: ['fractional', 0, 0] },
      { value: 'b', at: ['fractional', 1, 0] },
    ]);
    expect(literalResults({ fractional: [{ var: 'email' }, ['a', 1]] }).map((r) => r.value)).toEqual(['a']);
  });

  it('knows nothing of computed results and other operators', () => {
    expect(literalResults({ if: [{ var: 'a' }, { cat: ['o', 'n'] }, { var: 'v' }] })).toEqual([]);
    expect(literalResults({ '==': [1, 1] })).toEqual([]);
    expect(literalResults({})).toEqual([]);
  });
});
