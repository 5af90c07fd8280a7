import { appconfigMatches, compilePattern, patternProblem } from './matches';

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

  it('compiles each pattern once and says why an invalid one cannot run', () => {
    expect(compilePattern('a+')).toBe(compilePattern('a+'));
    expect(patternProblem('a+')).toBeNull();
    expect(patternProblem('(')).toContain('not a valid regular expression');
  });

  it.each(['(a)\\1', '(?=a)', '(?!a)b', '(?<=a)b', '(?<!a)b'])(
    'refuses %s, which needs backtracking',
    (pattern) => {
      expect(patternProblem(pattern)).toContain('RE2 syntax');
    },
  );

  it('answers `^(a+)+$` against 32 and 8,192 characters in linear time (issue 26)', () => {
    for (const length of [32, 8192]) {
      const started = performance.now();
      expect(appconfigMatches([`${'a'.repeat(length - 1)}!`, '^(a+)+$'])).toBe(false);
      expect(appconfigMatches(['a'.repeat(length), '^(a+)+$'])).toBe(true);
      expect(performance.now() - started).toBeLessThan(200);
    }
  });
});
