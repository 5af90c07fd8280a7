import { appconfigEq } from './eq';

describe('appconfig_eq', () => {
  it.each([
    [['Virginia', 'Virginia'], true],
    [['Virginia', 'virginia'], false],
    [['65', 65], true],
    [[65, '65.0'], true],
    [['sixty', 65], false],
    [['true', true], true],
    [[false, 'false'], true],
    [[1, true], false],
    [[null, 'x'], null],
    [[undefined, 1], null],
    [['x'], null],
    ['not a list', null],
  ])('%j → %s', (args, expected) => {
    expect(appconfigEq(args)).toBe(expected);
  });
});
