import { startsWith } from './starts-with';

describe('starts_with', () => {
  it('tests a prefix', () => {
    expect(startsWith(['abcdef', 'abc'])).toBe(true);
    expect(startsWith(['uvwxyz', 'abc'])).toBe(false);
    expect(startsWith(['abc', ''])).toBe(true);
  });
  it.each([
    ['one argument', ['abc']],
    ['three arguments', ['abc', 'a', 'b']],
    ['a number', [123, 'abc']],
    ['a null prefix', ['abc', null]],
    ['not an array', 'abc'],
  ])('returns null for %s', (_name, args) => {
    expect(startsWith(args)).toBeNull();
  });
});
