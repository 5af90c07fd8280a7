import { readsFlagd } from './reads-flagd';

describe('readsFlagd', () => {
  it.each([
    [{ var: '$flagd.flagKey' }, true],
    [{ '>': [{ var: ['$flagd.timestamp', 0] }, 1] }, true],
    [{ fractional: [['a', 1]] }, true],
    [{ var: '' }, true],
    [{ var: [] }, true],
    [{ var: { cat: ['a', 'b'] } }, true],
    [{ map: [{ var: 'list' }, { var: '../x' }] }, true],
    [{ missing: ['$flagd'] }, true],
    [{ if: [{ ends_with: [{ var: 'email' }, '@x.com'] }, 'a', null] }, false],
    [{ sem_ver: [{ var: ['version', '0'] }, '>=', '1.0.0'] }, false],
    [{ '==': [{ var: 1 }, 'x'] }, false],
  ])('%j -> %s', (rule, expected) => {
    expect(readsFlagd(rule)).toBe(expected);
  });
});
