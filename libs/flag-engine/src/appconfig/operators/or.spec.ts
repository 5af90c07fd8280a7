import { appconfigOr } from './or';

describe('appconfig_or (three-valued)', () => {
  it.each([
    [[false, true], true],
    [[false, false], false],
    [[null, true], true],
    [[false, null], null],
    [[], null],
  ] as [unknown, boolean | null][])('%j → %s', (args, expected) => {
    expect(appconfigOr(args)).toBe(expected);
  });
});
