import { appconfigBeginsWith } from './begins-with';

describe('appconfig_begins_with', () => {
  it.each([
    [['Alabama', 'A'], true],
    [['Ohio', 'A'], false],
    [[94107, '94'], true],
    [[null, 'A'], null],
    [[['A'], 'A'], false],
    [['A'], null],
  ] as [unknown, boolean | null][])('%j → %s', (args, expected) => {
    expect(appconfigBeginsWith(args)).toBe(expected);
  });
});
