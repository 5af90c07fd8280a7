import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

// Like Fastify's errors catalogue: every coded error a lib can raise is documented for operators.
const ROOT = join(__dirname, '..');

function errorFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : errorFiles(path);
    return name === 'errors.ts' ? [path] : [];
  });
}

describe('docs/errors.md', () => {
  const documented = readFileSync(join(ROOT, 'docs/errors.md'), 'utf8');
  const files = [...errorFiles(join(ROOT, 'libs')), ...errorFiles(join(ROOT, 'apps'))];

  it('finds the coded errors of the libs', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files.map((file) => [relative(ROOT, file), file]))('documents every code of %s', (_name, file) => {
    const codes = [...new Set(readFileSync(file, 'utf8').match(/FLAGFLEET_[A-Z0-9_]+/g) ?? [])];
    const missing = codes.filter((code) => !documented.includes(`\`${code}\``));
    expect(missing).toEqual([]);
  });
});
