import { appconfigGte } from './gte';

describe('appconfig_gte', () => {
  it.each([
    [[65, 65], true],
    [[64, 65], false],
    [['65', 65], true],
    [['a', 'a'], true],
    [[true, 1], false],
    [[1, undefined], null],
  ] as [unknown, boolean | null][])('%j → %s', (args, expected) => {
    expect(appconfigGte(args)).toBe(expected);
  });
});
