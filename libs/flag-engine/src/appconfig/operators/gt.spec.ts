import { appconfigGt } from './gt';

describe('appconfig_gt', () => {
  it.each([
    [[66, 65], true],
    [[65, 65], false],
    [['66', 65], true],
    [['b', 'a'], true],
    [[2024, 'x'], false],
    [[null, 1], null],
  ] as [unknown, boolean | null][])('%j → %s', (args, expected) => {
    expect(appconfigGt(args)).toBe(expected);
  });
});
