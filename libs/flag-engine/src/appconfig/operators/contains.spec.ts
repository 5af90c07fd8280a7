import { appconfigContains } from './contains';

describe('appconfig_contains', () => {
  it.each([
    [['WINTER24', 'WIN'], true],
    [['SUMMER', 'WIN'], false],
    [[['a', 'b'], 'b'], true],
    [[[1, 2], '2'], true],
    [[['a'], 'c'], false],
    [[null, 'WIN'], null],
  ] as [unknown, boolean | null][])('%j → %s', (args, expected) => {
    expect(appconfigContains(args)).toBe(expected);
  });
});
