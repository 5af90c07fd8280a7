import { appconfigLte } from './lte';

describe('appconfig_lte', () => {
  it.each([
    [[65, 65], true],
    [[66, 65], false],
    [['-1', 0], true],
    [['b', 'a'], false],
    [['x', 1], false],
    [[undefined, 1], null],
  ] as [unknown, boolean | null][])('%j → %s', (args, expected) => {
    expect(appconfigLte(args)).toBe(expected);
  });
});
