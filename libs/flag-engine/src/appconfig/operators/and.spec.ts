import { appconfigAnd } from './and';

describe('appconfig_and (three-valued)', () => {
  it.each([
    [[true, true], true],
    [[true, false], false],
    [[null, false], false],
    [[true, null], null],
    [[true], true],
    [[], null],
    ['x', null],
  ] as [unknown, boolean | null][])('%j → %s', (args, expected) => {
    expect(appconfigAnd(args)).toBe(expected);
  });
});
