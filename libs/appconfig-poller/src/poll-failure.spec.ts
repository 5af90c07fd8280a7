import { BadRequestException, ThrottlingException } from '@aws-sdk/client-appconfigdata';
import { describePollFailure, isTokenProblem } from './poll-failure';

function badRequest(
  invalid?: Record<string, { Problem?: 'Corrupted' | 'Expired' | 'PollIntervalNotSatisfied' }>,
) {
  return new BadRequestException({
    message: 'bad',
    $metadata: {},
    Reason: 'InvalidParameters',
    Details: invalid ? { InvalidParameters: invalid } : undefined,
  });
}

describe('poll failures', () => {
  it.each(['Corrupted', 'Expired'] as const)(
    'treats a %s token as repairable by a new session',
    (problem) => {
      expect(isTokenProblem(badRequest({ ConfigurationToken: { Problem: problem } }))).toBe(true);
    },
  );

  it('does not restart the session for PollIntervalNotSatisfied (the token was not spent) or other parameters', () => {
    expect(isTokenProblem(badRequest({ ConfigurationToken: { Problem: 'PollIntervalNotSatisfied' } }))).toBe(
      false,
    );
    expect(isTokenProblem(badRequest({ ApplicationIdentifier: {} }))).toBe(false);
    expect(isTokenProblem(new ThrottlingException({ message: 'slow down', $metadata: {} }))).toBe(false);
    expect(isTokenProblem(new Error('socket hang up'))).toBe(false);
  });

  it('names failures by service exception or network code and never repeats a token', () => {
    expect(describePollFailure(new ThrottlingException({ message: 'Rate exceeded', $metadata: {} }))).toEqual(
      {
        name: 'ThrottlingException',
        message: 'Rate exceeded',
      },
    );
    expect(
      describePollFailure(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })).name,
    ).toBe('ECONNRESET');
    expect(describePollFailure(new Error('token SECRET123 refused'), ['SECRET123']).message).toBe(
      'token [token] refused',
    );
    expect(describePollFailure(new Error('AWS SDK error wrapper for TimeoutError: socket hang up'))).toEqual({
      name: 'TimeoutError',
      message: 'socket hang up',
    });
    expect(describePollFailure('weird')).toEqual({ name: 'Error', message: 'weird' });
  });
});
