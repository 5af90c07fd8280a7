import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DocumentProblemCode, FlagDocumentInvalidError, formatProblem } from './errors';

describe('flag-engine error catalogue', () => {
  it('documents every code in docs/errors.md', () => {
    const documented = readFileSync(resolve(__dirname, '../../../docs/errors.md'), 'utf8');
    const codes = [...Object.values(DocumentProblemCode), new FlagDocumentInvalidError([]).code];
    for (const code of codes) expect([code, documented.includes(`- \`${code}\``)]).toEqual([code, true]);
  });

  it('carries the problems of a rejected document in one readable message', () => {
    const problem = {
      flagKey: 'a',
      path: '/flags/a/state',
      message: 'state must be "ENABLED" or "DISABLED", got "ON"',
      severity: 'error',
      code: DocumentProblemCode.UNKNOWN_STATE,
    } as const;
    const error = new FlagDocumentInvalidError([problem]);
    expect(error).toMatchObject({
      code: 'FLAGFLEET_FLAG_DOCUMENT_INVALID',
      status: 422,
      problems: [problem],
    });
    expect(error.message).toBe(
      'flag document rejected: flag "a" at /flags/a/state: state must be "ENABLED" or "DISABLED", got "ON" [FLAGFLEET_FLAG_UNKNOWN_STATE]',
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
