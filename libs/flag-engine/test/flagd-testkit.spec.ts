import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pickle } from '@cucumber/messages';
import { describeConformance } from '../../../test/support/conformance';
import { compileFlagDocument, type CompiledFlags, type EvaluationResult, type FlagValueType } from '../src';
import { loadPickles } from '../../../test/support/gherkin';

type GherkinType = 'Boolean' | 'String' | 'Integer' | 'Float' | 'Object';
const VALUE_TYPES: Record<GherkinType, FlagValueType> = {
  Boolean: 'boolean',
  String: 'string',
  Integer: 'number',
  Float: 'number',
  Object: 'object',
};

/** Cells are literal: `{\"a\": 1}` in an Object cell is JSON with escaped quotes. */
function convert(type: GherkinType, raw: string): unknown {
  switch (type) {
    case 'Boolean':
      return raw === 'true';
    case 'Integer':
      return Number.parseInt(raw, 10);
    case 'Float':
      return Number.parseFloat(raw);
    case 'Object':
      return JSON.parse(raw.replace(/\\"/g, '"'));
    default:
      return raw;
  }
}

interface Scenario {
  flagKey?: string;
  type?: GherkinType;
  fallback?: unknown;
  context: Record<string, unknown>;
  result?: EvaluationResult;
}

/** Runs one pickle step by step against the compiled testkit flags. */
function runPickle(pickle: Pickle, flags: CompiledFlags): void {
  const scenario: Scenario = { context: {} };
  for (const step of pickle.steps) {
    const text = step.text;
    let m: RegExpExecArray | null;
    if (text === 'an evaluator') continue;
    if ((m = /^an? (\w+)-flag with key "(.*)" and a fallback value "(.*)"$/.exec(text))) {
      scenario.type = m[1] as GherkinType;
      scenario.flagKey = m[2];
      scenario.fallback = convert(scenario.type, m[3]);
    } else if (
      (m = /^a context containing a key "(.*)", with type "(\w+)" and with value "(.*)"$/.exec(text))
    ) {
      scenario.context[m[1]] = convert(m[2] as GherkinType, m[3]);
    } else if ((m = /^a context containing a targeting key with value "(.*)"$/.exec(text))) {
      scenario.context.targetingKey = m[1];
    } else if (
      (m =
        /^a context containing a nested property with outer key "(.*)" and inner key "(.*)", with value "(.*)"$/.exec(
          text,
        ))
    ) {
      scenario.context[m[1]] = { [m[2]]: m[3] };
    } else if (text === 'the flag was evaluated with details') {
      scenario.result = flags.evaluateFlag(scenario.flagKey as string, scenario.context, {
        expectedType: VALUE_TYPES[scenario.type as GherkinType],
      });
    } else if ((m = /^the resolved details value should be "(.*)"$/.exec(text))) {
      // No value in the result means "use the code default", as an OpenFeature SDK does.
      const value = scenario.result?.value ?? scenario.fallback;
      expect(value).toEqual(convert(scenario.type as GherkinType, m[1]));
    } else if ((m = /^the reason should be "(.*)"$/.exec(text))) {
      expect(scenario.result?.reason).toBe(m[1]);
    } else if ((m = /^the error-code should be "(.*)"$/.exec(text))) {
      expect(scenario.result?.errorCode).toBe(m[1]);
    } else if (text === 'the resolved metadata is empty') {
      expect(scenario.result?.metadata).toEqual({});
    } else if (text === 'the resolved metadata should contain') {
      const rows = step.argument?.dataTable?.rows.slice(1) ?? [];
      for (const [key, type, value] of rows.map((row) => row.cells.map((cell) => cell.value))) {
        expect(scenario.result?.metadata[key]).toEqual(convert(type as GherkinType, value));
      }
    } else {
      throw new Error(`unsupported step: ${text}`);
    }
  }
}

describeConformance(['flagd-evaluator'], 'flagd evaluator testkit', (dir) => {
  const compiled = compileFlagDocument(readFileSync(join(dir, 'flags/testkit-flags.json')), {
    contentType: 'application/json',
  });
  const pickles = loadPickles(join(dir, 'gherkin'), ['@fractional-v1']).map(({ pickle }) => pickle);
  console.log(`flagd evaluator testkit: ${pickles.length} scenarios run (excluding @fractional-v1)`);

  it('compiles the testkit flags, warning only about the broken $ref', () => {
    expect(compiled.ok).toBe(true);
    if (!compiled.ok) return;
    expect(compiled.flags.keys.length).toBeGreaterThanOrEqual(60);
    expect(compiled.warnings.map((w) => [w.flagKey, w.code])).toEqual([
      ['ref-to-nonexistent-evaluator-flag', 'FLAGFLEET_TARGETING_UNKNOWN_REF'],
    ]);
  });

  it.each(pickles.map((pickle) => [`${pickle.uri}: ${pickle.name} [${pickle.id}]`, pickle] as const))(
    '%s',
    (_name, pickle) => {
      if (!compiled.ok) throw new Error('testkit flags did not compile');
      runPickle(pickle, compiled.flags);
    },
  );
});
