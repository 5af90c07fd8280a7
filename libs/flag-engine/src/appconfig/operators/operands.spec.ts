import { compareOperands } from './operands';

describe('AppConfig operand comparison', () => {
  it.each([
    [1, 2, -1],
    ['10', 9, 1],
    [' 7 ', 7, 0],
    ['0x10', 16, null],
    ['true', true, 0],
    ['yes', true, null],
    ['b', 'a', 1],
    [[1], 1, null],
    [{}, 'a', null],
  ] as [unknown, unknown, number | null][])('%j vs %j → %s', (a, b, expected) => {
    expect(compareOperands(a, b)).toBe(expected);
  });
});
