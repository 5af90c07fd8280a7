import { CorsPolicy } from './cors-policy';

describe('CorsPolicy', () => {
  it('is off without origins', () => {
    expect(CorsPolicy.fromOrigins([])).toBeNull();
  });

  it('allows the listed origins (any case), echoing the request origin, and varies by Origin', () => {
    const policy = CorsPolicy.fromOrigins(['https://App.example.com', 'http://localhost:5173']);
    expect(policy?.responseHeaders('https://app.example.com')).toEqual({
      vary: 'Origin',
      'access-control-allow-origin': 'https://app.example.com',
      'access-control-expose-headers': 'etag, retry-after, www-authenticate',
    });
    expect(policy?.responseHeaders('http://localhost:5174')).toEqual({ vary: 'Origin' });
    expect(policy?.responseHeaders('https://app.example.com.evil.test')).toEqual({ vary: 'Origin' });
    expect(policy?.responseHeaders(undefined)).toEqual({ vary: 'Origin' });
  });

  it('with *, allows any origin without varying', () => {
    const policy = CorsPolicy.fromOrigins(['*']);
    expect(policy?.responseHeaders('https://anyone.test')).toEqual({
      'access-control-allow-origin': '*',
      'access-control-expose-headers': 'etag, retry-after, www-authenticate',
    });
    expect(policy?.responseHeaders(undefined)).toEqual({});
  });
});
