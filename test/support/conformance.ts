import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Third-party conformance material lives beside the repository, never inside it.
 * A user's clone has none: suites that need it skip with one line.
 */
export const CONFORMANCE_DIR = resolve(__dirname, '../../../shared/conformance');

export function conformancePath(...parts: string[]): string | null {
  const path = resolve(CONFORMANCE_DIR, ...parts);
  if (existsSync(path)) return path;
  console.log(`conformance material not found at ${path}: suite skipped`);
  return null;
}

/** `describe` when the material exists, `describe.skip` (with a one-line notice) otherwise. */
export function describeConformance(parts: string[], name: string, body: (path: string) => void): void {
  const path = conformancePath(...parts);
  if (path) describe(name, () => body(path));
  // One skipped test, so a spec file holding only this suite still counts as a (skipped) suite.
  else describe(name, () => it.skip(`needs ${parts.join('/')} in ${CONFORMANCE_DIR}`, () => undefined));
}
