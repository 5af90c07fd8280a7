import { appconfigExists } from './exists';

describe('appconfig_exists', () => {
  it('is true for an own, non-null context value, whatever it is', () => {
    expect(appconfigExists(['country'], { country: 'DE' })).toBe(true);
    expect(appconfigExists(['opted_in_to_beta'], { opted_in_to_beta: 'false' })).toBe(true);
    expect(appconfigExists(['country'], { country: null })).toBe(false);
    expect(appconfigExists(['country'], {})).toBe(false);
    expect(appconfigExists(['toString'], {})).toBe(false);
    expect(appconfigExists([1], { 1: 'x' })).toBe(false);
    expect(appconfigExists(['a'], null)).toBe(false);
  });
});
