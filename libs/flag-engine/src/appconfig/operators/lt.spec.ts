import { appconfigLt } from './lt';

describe('appconfig_lt', () => {
  it.each([
    [[64, 65], true],
    [[65, 65], false],
    [['1e1', 11], true],
    [['a', 'b'], true],
    [[{}, 1], false],
    [[null, null], null],
  ] as [unknown, boolean | null][])('%j → %s', (args, expected) => {
    expect(appconfigLt(args)).toBe(expected);
  });
});
