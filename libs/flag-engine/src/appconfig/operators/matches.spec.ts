import { appconfigMatches, compilePattern } from './matches';

describe('appconfig_matches', () => {
  it.each([
    [['oh, happy day', 'h.*y'], true],
    [['hello', 'h.*y'], false],
    [['abc', '^b'], false],
    [[null, 'x'], null],
    [['x', '('], false],
  ] as [unknown, boolean | null][])('%j → %s', (args, expected) => {
    expect(appconfigMatches(args)).toBe(expected);
  });

  it('compiles each pattern once and reports an invalid one as null', () => {
    expect(compilePattern('a+')).toBe(compilePattern('a+'));
    expect(compilePattern('(')).toBeNull();
  });
});
