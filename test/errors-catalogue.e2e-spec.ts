import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

// THE catalogue test (like Fastify's): every code any production source can raise is in docs/errors.md, and
// docs/errors.md lists no code that no longer exists.
const ROOT = join(__dirname, '..');
const CODE = /FLAGFLEET_[A-Z0-9_]+/g;

/** Production TypeScript under `dir` (no specs, no test helpers). */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory())
      return ['node_modules', 'testing', 'test'].includes(name) ? [] : sources(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('docs/errors.md', () => {
  const documented = new Set(
    readFileSync(join(ROOT, 'docs/errors.md'), 'utf8')
      .match(/`FLAGFLEET_[A-Z0-9_]+`/g)
      ?.map((c) => c.slice(1, -1)),
  );
  const files = [...sources(join(ROOT, 'libs')), ...sources(join(ROOT, 'apps'))];
  const used = new Map<string, string>();
  for (const file of files) {
    for (const code of readFileSync(file, 'utf8').match(CODE) ?? []) used.set(code, relative(ROOT, file));
  }

  it('finds the coded errors of every lib and app', () => {
    const places = new Set([...used.values()].map((file) => file.split('/').slice(0, 2).join('/')));
    for (const place of [
      'libs/flag-engine',
      'libs/config-store',
      'libs/appconfig-poller',
      'libs/change-delivery',
      'libs/appconfig-emulator',
      'apps/flag-service',
    ])
      expect(places).toContain(place);
  });

  it('documents every code the sources use', () => {
    const missing = [...used]
      .filter(([code]) => !documented.has(code))
      .map(([code, file]) => `${code} (${file})`);
    expect(missing).toEqual([]);
  });

  it('documents no code the sources no longer use', () => {
    expect([...documented].filter((code) => !used.has(code))).toEqual([]);
  });
});
