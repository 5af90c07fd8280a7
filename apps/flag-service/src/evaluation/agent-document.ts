import { answeredAttributes, type CompiledFlags, type EvaluationResult } from '@flagfleet/flag-engine';

/**
 * One evaluated flag as the AppConfig Agent answers it. AppConfig feature flags: basic ones as
 * `{enabled, ...attributes}`, multi-variant ones as `{"_variant": name, "enabled", ...attributeValues}`; the
 * attributes (arrays included) only when the chosen variant is enabled, keys sorted as the agent's answers show.
 * flagd documents: the resolved value itself. `undefined` when there is no value to give (error, DISABLED flagd
 * flag, code default): the flag is left out of the map.
 */
export function agentEntry(flags: CompiledFlags, result: EvaluationResult): unknown {
  if (result.errorCode !== undefined) return undefined;
  const definition = flags.definitions.get(result.key);
  if (definition?.appConfig === undefined) return result.value;
  const entry: Record<string, unknown> = {
    ...answeredAttributes(definition, result.variant),
    enabled: result.value === true,
  };
  if (definition.appConfig.multiVariant) entry._variant = result.variant;
  const sorted: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(entry).sort()) sorted[key] = entry[key];
  return sorted;
}
