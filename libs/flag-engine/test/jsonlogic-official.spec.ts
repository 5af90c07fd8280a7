import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeConformance } from '../../../test/support/conformance';
import { targetingEngine } from '../src/operators';

type Case = [rule: unknown, data: unknown, expected: unknown];

describeConformance(['jsonlogic'], 'official JSON Logic tests', (dir) => {
  const entries = JSON.parse(readFileSync(join(dir, 'tests.json'), 'utf8')) as (string | Case)[];
  const cases = entries.filter((entry): entry is Case => Array.isArray(entry));
  // The very engine flag documents are compiled with (custom operators registered), in compiled mode.
  const engine = targetingEngine;
  console.log(`official JSON Logic tests: ${cases.length} cases run`);

  it.each(cases.map((c, i) => [i, JSON.stringify(c[0]).slice(0, 80), c] as const))(
    '#%i %s',
    (_i, _name, [rule, data, expected]) => {
      expect(engine.build(rule)(data)).toEqual(expected);
    },
  );
});
