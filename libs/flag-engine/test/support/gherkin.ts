import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { AstBuilder, GherkinClassicTokenMatcher, Parser, compile } from '@cucumber/gherkin';
import { IdGenerator, type Pickle } from '@cucumber/messages';

/** Every scenario of every feature file in `dir`, Scenario Outlines expanded (one pickle per Examples row). */
export function loadPickles(dir: string): Pickle[] {
  const newId = IdGenerator.incrementing();
  return readdirSync(dir)
    .filter((file) => file.endsWith('.feature'))
    .sort()
    .flatMap((file) => {
      const parser = new Parser(new AstBuilder(newId), new GherkinClassicTokenMatcher());
      const document = parser.parse(readFileSync(join(dir, file), 'utf8'));
      return compile(document, file, newId);
    });
}
