import { CodedError } from '@flagfleet/core';
import { LeaseLostError, RedisUrlInvalidError, SourceKeyInvalidError, StoreUnavailableError } from './errors';

describe('config-store errors', () => {
  const errors = [
    new LeaseLostError('a/e/p', 3),
    new StoreUnavailableError('down'),
    new RedisUrlInvalidError('redis://x', 'bad'),
    new SourceKeyInvalidError('x'),
  ];

  it('carries code, status and a message naming the subject', () => {
    expect(errors[0]).toMatchObject({
      code: 'FLAGFLEET_LEASE_LOST',
      status: 409,
      source: 'a/e/p',
      fence: 3,
      name: 'LeaseLostError',
    });
    expect(errors[0].message).toContain('a/e/p');
    for (const error of errors) expect(error).toBeInstanceOf(CodedError);
  });
});
