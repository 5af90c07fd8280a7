import { DocumentProblemCode, formatProblem } from './errors';

describe('flag-engine problems', () => {
  it('formats a problem on one line with its flag, path and code', () => {
    expect(
      formatProblem({
        flagKey: 'a',
        path: '/flags/a/state',
        message: 'state must be "ENABLED" or "DISABLED", got "ON"',
        severity: 'error',
        code: DocumentProblemCode.UNKNOWN_STATE,
      }),
    ).toBe(
      'flag "a" at /flags/a/state: state must be "ENABLED" or "DISABLED", got "ON" [FLAGFLEET_FLAG_UNKNOWN_STATE]',
    );
    expect(
      formatProblem({
        path: '',
        message: 'content is not JSON',
        severity: 'error',
        code: DocumentProblemCode.NOT_JSON,
      }),
    ).toBe('at /: content is not JSON [FLAGFLEET_DOCUMENT_NOT_JSON]');
  });
});
