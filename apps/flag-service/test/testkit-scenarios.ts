import type { Client, EvaluationDetails, FlagValue, JsonValue } from '@openfeature/server-sdk';
import type { Pickle } from '@cucumber/messages';

/** One flagd evaluator testkit scenario as its steps build it up. */
export interface Scenario {
  type: string;
  key: string;
  fallback: JsonValue;
  context: Record<string, JsonValue>;
  details?: EvaluationDetails<FlagValue>;
  /** The raw OFREP answer, when the runner fetched it. */
  raw?: { value?: JsonValue; reason?: string; variant?: string; errorCode?: string };
}

// Values in the feature files are strings; the step's type says how to read them.
export function typed(type: string, raw: string): JsonValue {
  switch (type) {
    case 'Boolean':
      return raw === 'true';
    case 'Integer':
    case 'Float':
      return Number(raw);
    case 'Object':
      // Feature tables escape the quotes of JSON cells.
      return JSON.parse(raw.replace(/\\"/g, '"')) as JsonValue;
    default:
      return raw;
  }
}

/** The scenario's flag through the OpenFeature SDK, by the step's type. */
export async function evaluateWithSdk(client: Client, s: Scenario): Promise<void> {
  const context = { ...s.context };
  const value = s.fallback;
  s.details =
    s.type === 'Boolean'
      ? await client.getBooleanDetails(s.key, value as boolean, context)
      : s.type === 'String'
        ? await client.getStringDetails(s.key, value as string, context)
        : s.type === 'Integer' || s.type === 'Float'
          ? await client.getNumberDetails(s.key, value as number, context)
          : await client.getObjectDetails(s.key, value, context);
}

export interface PickleRunner {
  /** Evaluates `s` (sets `s.details`, and `s.raw` when the runner reads the wire answer too). */
  evaluate(s: Scenario): Promise<void>;
  /** True when the reason is to be read from the raw answer (a client quirk hides it). */
  reasonFromRaw?(s: Scenario): boolean;
}

/** Runs one testkit scenario's steps, asserting its Then steps. */
export async function runPickle(pickle: Pickle, runner: PickleRunner): Promise<Scenario> {
  const s: Scenario = { type: 'String', key: '', fallback: '', context: {} };
  for (const step of pickle.steps) {
    const text = step.text;
    let m: RegExpExecArray | null;
    if (text === 'an evaluator') continue;
    if ((m = /^a (\w+)-flag with key "([^"]*)" and a fallback value "(.*)"$/.exec(text))) {
      s.type = m[1];
      s.key = m[2];
      s.fallback = typed(m[1], m[3]);
    } else if (
      (m = /^a context containing a key "([^"]*)", with type "(\w+)" and with value "([^"]*)"$/.exec(text))
    ) {
      s.context[m[1]] = typed(m[2], m[3]);
    } else if ((m = /^a context containing a targeting key with value "([^"]*)"$/.exec(text))) {
      s.context.targetingKey = m[1];
    } else if (
      (m =
        /^a context containing a nested property with outer key "([^"]*)" and inner key "([^"]*)", with value "([^"]*)"$/.exec(
          text,
        ))
    ) {
      s.context[m[1]] = { [m[2]]: m[3] };
    } else if (text === 'the flag was evaluated with details') {
      await runner.evaluate(s);
    } else if ((m = /^the resolved details value should be "(.*)"$/.exec(text))) {
      expect(s.details?.value).toEqual(typed(s.type, m[1]));
    } else if ((m = /^the reason should be "([^"]*)"$/.exec(text))) {
      if (runner.reasonFromRaw?.(s)) expect(s.raw?.reason).toBe(m[1]);
      else expect(s.details?.reason).toBe(m[1]);
    } else if ((m = /^the error-code should be "([^"]*)"$/.exec(text))) {
      expect(s.details?.errorCode ?? '').toBe(m[1]);
    } else if (text === 'the resolved metadata is empty') {
      expect(s.details?.flagMetadata).toEqual({});
    } else if (text === 'the resolved metadata should contain') {
      const rows = step.argument?.dataTable?.rows.slice(1) ?? [];
      for (const row of rows) {
        const [key, type, value] = row.cells.map((cell) => cell.value);
        expect(s.details?.flagMetadata[key]).toEqual(typed(type, value));
      }
    } else {
      throw new Error(`unknown step: ${text}`);
    }
  }
  return s;
}

/** The raw OFREP answer for the scenario's flag and context. */
export async function ofrepAnswer(
  url: string,
  s: Scenario,
  headers: Record<string, string> = {},
): Promise<Scenario['raw']> {
  const answer = await fetch(`${url}/ofrep/v1/evaluate/flags/${encodeURIComponent(s.key)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ context: s.context }),
  });
  return (await answer.json()) as Scenario['raw'];
}
