import { appconfigIn } from './in';

describe('appconfig_in', () => {
  const ids = ['123', '456'];
  const numbers = [1, 2, 3];
  it.each([
    [['123', ids], true],
    [['789', ids], false],
    [[123, ids], true],
    [['2', numbers], true],
    [[2, numbers], true],
    [['2.0', numbers], true],
    [['x', numbers], false],
    [['true', [true]], true],
    [[null, ids], null],
    [['a', 'a'], false],
  ] as [unknown, boolean | null][])('%j → %s', (args, expected) => {
    expect(appconfigIn(args)).toBe(expected);
  });

  it('looks up long lists in sets built once per list', () => {
    const list = Array.from({ length: 1000 }, (_, i) => `user-${i}`);
    expect(appconfigIn(['user-999', list])).toBe(true);
    expect(appconfigIn(['user-1000', list])).toBe(false);
  });
});
