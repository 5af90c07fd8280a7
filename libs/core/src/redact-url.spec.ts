import { isSecretParameter, redactUrl } from './redact-url';

describe('redactUrl', () => {
  it.each([
    // Request URLs: the credential parameters, whatever their spelling.
    ['/ofrep/v1/evaluate/flags?api_key=s3cr3t', '/ofrep/v1/evaluate/flags?api_key=***'],
    ['/x?source=a/b/c&token=s3cr3t&flag=f', '/x?source=a/b/c&token=***&flag=f'],
    ['/x?API-Key=s3cr3t&key=s3cr3t&apikey=s3cr3t', '/x?API-Key=***&key=***&apikey=***'],
    ['/x?api%5Fkey=s3cr3t', '/x?api%5Fkey=***'],
    ['/x?access_token=s3cr3t&id_token=s3cr3t', '/x?access_token=***&id_token=***'],
    ['/x?sig=s3cr3t&signature=s3cr3t', '/x?sig=***&signature=***'],
    ['/x?flag=a&flag=b', '/x?flag=a&flag=b'],
    ['/x?token', '/x?token'],
    // Absolute URLs: userinfo, presigned AWS queries, fragments.
    ['https://user:s3cr3t@hooks.example.com/h?x=1', 'https://user:***@hooks.example.com/h?x=1'],
    ['https://s3cr3t@hooks.example.com/h', 'https://***@hooks.example.com/h'],
    [
      'https://appconfig.example/?X-Amz-Credential=AKID&X-Amz-Signature=s3cr3t&X-Amz-Security-Token=s3cr3t',
      'https://appconfig.example/?X-Amz-Credential=***&X-Amz-Signature=***&X-Amz-Security-Token=***',
    ],
    ['https://app.example/cb#access_token=s3cr3t&state=1', 'https://app.example/cb#access_token=***&state=1'],
    // Redis URLs (config-store's redactRedisUrl is this function).
    ['redis://user:s3cr3t@host:6379/0', 'redis://user:***@host:6379/0'],
    [
      'redis-sentinel://:pw@s1,s2/m?sentinelPassword=s3cr3t&db=1',
      'redis-sentinel://:***@s1,s2/m?sentinelPassword=***&db=1',
    ],
    ['redis://host:6379', 'redis://host:6379'],
    // Text that holds URLs (error messages), and text that holds none.
    [
      'connect failed for http://u:s3cr3t@127.0.0.1:9/?token=s3cr3t (refused)',
      'connect failed for http://u:***@127.0.0.1:9/?token=*** (refused)',
    ],
    ['write ada@example.com a note', 'write ada@example.com a note'],
  ])('%s', (url, redacted) => {
    expect(redactUrl(url)).toBe(redacted);
    expect(redactUrl(redacted)).toBe(redacted);
  });

  it('takes time linear in the text: a long logged line with an @ (a flag key, a request URL) stalls nothing', () => {
    const letters = 'a'.repeat(64_000);
    for (const text of [`${letters}@`, `?${letters}@`, `${'1a'.repeat(32_000)}://u:s3cr3t@h`]) {
      const started = performance.now();
      const redacted = redactUrl(text);
      // A scheme tried at every letter rescanned the run from each: 2.5 s for these 64,000 letters.
      expect(performance.now() - started).toBeLessThan(100);
      expect(redacted.includes('s3cr3t')).toBe(false);
    }
  });

  it('names its credential parameters', () => {
    for (const name of ['password', 'client_secret', 'X-Amz-Signature', 'auth', 'session_id', 'jwt', 'Token'])
      expect(isSecretParameter(name)).toBe(true);
    for (const name of ['source', 'flag', 'limit', 'targetingKey', 'db'])
      expect(isSecretParameter(name)).toBe(false);
  });
});
