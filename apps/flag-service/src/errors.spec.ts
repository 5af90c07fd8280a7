import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { EnvInvalidError, FlagsDirEmptyError } from './errors';

describe('flag service error catalogue', () => {
  const catalogue = readFileSync(resolve(__dirname, '../../../docs/errors.md'), 'utf8');

  it.each([new EnvInvalidError(['PORT must be integer']), new FlagsDirEmptyError('/nowhere')])(
    '%s is documented in docs/errors.md',
    (error) => {
      expect(error.code).toMatch(/^FLAGFLEET_[A-Z_]+$/);
      expect(catalogue).toContain(`- \`${error.code}\``);
    },
  );
});
