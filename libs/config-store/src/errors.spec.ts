import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { LeaseLostError, RedisUrlInvalidError, SourceKeyInvalidError, StoreUnavailableError } from './errors';

describe('config-store errors', () => {
  const errors = [
    new LeaseLostError('a/e/p', 3),
    new StoreUnavailableError('down'),
    new RedisUrlInvalidError('redis://x', 'bad'),
    new SourceKeyInvalidError('x'),
  ];

  it.each(errors.map((error) => [error.code, error]))('%s is documented in docs/errors.md', (code) => {
    const catalogue = readFileSync(resolve(__dirname, '../../../docs/errors.md'), 'utf8');
    expect(catalogue).toContain(`- \`${code}\``);
  });

  it('carries code, status and a message naming the subject', () => {
    expect(errors[0]).toMatchObject({
      code: 'FLAGFLEET_LEASE_LOST',
      status: 409,
      source: 'a/e/p',
      fence: 3,
      name: 'LeaseLostError',
    });
    expect(errors[0].message).toContain('a/e/p');
    expect(errors[1]).toBeInstanceOf(Error);
  });
});
