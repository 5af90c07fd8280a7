import { compareVersions, parseVersion, semVer } from './sem-ver';

describe('sem_ver', () => {
  it.each([
    ['2.0.0', '=', '2.0.0', true],
    ['2.0.0', '!=', '2.0.1', true],
    ['2.1.0', '>', '2.0.0', true],
    ['1.9.0', '<', '2.0.0', true],
    ['2.0.0', '<=', '2.0.0', true],
    ['2.0.0', '>=', '2.0.1', false],
    ['2.0.0-alpha', '<', '2.0.0', true],
    ['1.0.0-alpha', '<', '1.0.0-alpha.1', true],
    ['1.0.0-alpha.1', '<', '1.0.0-alpha.beta', true],
    ['1.0.0-beta.2', '<', '1.0.0-beta.11', true],
    ['1.0.0-rc.1', '<', '1.0.0', true],
    ['3.0.1', '~', '3.0.0', true],
    ['3.1.0', '~', '3.0.0', false],
    ['3.1.0', '^', '3.0.0', true],
    ['4.0.0', '^', '3.0.0', false],
    ['v1.0.0', '=', '1.0.0', true],
    ['V1.0.0', '=', 'v1.0.0', true],
    ['1', '^', '1.5.0', true],
    ['1.2', '>', '1.1', true],
    ['1.0.0+build.5', '=', '1.0.0+other', true],
  ])('%s %s %s -> %s', (left, operator, right, expected) => {
    expect(semVer([left, operator, right])).toBe(expected);
  });

  it('accepts numbers as versions (as strings: 1.2 is 1.2.0)', () => {
    expect(semVer([1.2, '>', '1.1'])).toBe(true);
    expect(semVer([2, '=', '2.0.0'])).toBe(true);
  });

  it.each([
    ['not a version', ['not-a-version', '=', '1.0.0']],
    ['four parts', ['2.0.0.0', '=', '2.0.0']],
    ['leading zeros', ['01.0.0', '=', '1.0.0']],
    ['an unknown operator', ['1.0.0', '===', '1.0.0']],
    ['two arguments', ['1.0.0', '=']],
    ['four arguments', ['1.0.0', '=', '1.0.0', '1.0.0']],
    ['a null version', [null, '=', '1.0.0']],
    ['an object version', [{}, '=', '1.0.0']],
    ['not an array', '1.0.0'],
  ])('returns null for %s', (_name, args) => {
    expect(semVer(args)).toBeNull();
  });

  it('orders versions by SemVer precedence', () => {
    const ordered = [
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
      '1.0.1',
      '1.1.0',
      '2.0.0',
    ];
    const parsed = ordered.map((v) => parseVersion(v));
    for (let i = 1; i < parsed.length; i++) {
      expect(compareVersions(parsed[i - 1]!, parsed[i]!)).toBeLessThan(0);
      expect(compareVersions(parsed[i]!, parsed[i - 1]!)).toBeGreaterThan(0);
    }
  });
});
