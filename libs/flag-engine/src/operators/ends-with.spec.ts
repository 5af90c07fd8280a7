import { endsWith } from './ends-with';

describe('ends_with', () => {
  it('tests a suffix', () => {
    expect(endsWith(['ann@example.com', '@example.com'])).toBe(true);
    expect(endsWith(['ann@example.org', '@example.com'])).toBe(false);
  });
  it.each([
    ['one argument', ['xyz']],
    ['three arguments', ['xyz', 'y', 'z']],
    ['a number', [123, 'xyz']],
    ['a boolean suffix', ['xyz', true]],
    ['not an array', 'xyz'],
  ])('returns null for %s', (_name, args) => {
    expect(endsWith(args)).toBeNull();
  });
});
