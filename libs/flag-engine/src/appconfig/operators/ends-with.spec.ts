import { appconfigEndsWith } from './ends-with';

describe('appconfig_ends_with', () => {
  it.each([
    [['jo@amazon.com', 'amazon.com'], true],
    [['jo@example.com', 'amazon.com'], false],
    [[undefined, 'x'], null],
    [[{}, 'x'], false],
  ] as [unknown, boolean | null][])('%j → %s', (args, expected) => {
    expect(appconfigEndsWith(args)).toBe(expected);
  });
});
