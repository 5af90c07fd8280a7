import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { AstBuilder, GherkinClassicTokenMatcher, Parser, compile } from '@cucumber/gherkin';
import { IdGenerator, type Pickle } from '@cucumber/messages';

/**
 * Every scenario of the `.feature` files in `dir`, Scenario Outlines expanded (one pickle per Examples
 * row), minus those tagged with one of `skipTags`.
 */
export function loadPickles(
  dir: string,
  skipTags: readonly string[] = [],
): Array<{ file: string; pickle: Pickle }> {
  const newId = IdGenerator.incrementing();
  return readdirSync(dir)
    .filter((name) => name.endsWith('.feature'))
    .sort()
    .flatMap((file) => {
      const parser = new Parser(new AstBuilder(newId), new GherkinClassicTokenMatcher());
      const document = parser.parse(readFileSync(join(dir, file), 'utf8'));
      return compile(document, file, newId)
        .filter((pickle) => !pickle.tags.some((tag) => skipTags.includes(tag.name)))
        .map((pickle) => ({ file, pickle }));
    });
}
