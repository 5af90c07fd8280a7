import type { DocumentFormat, EvaluationResult, FlagMetadata } from '@flagfleet/flag-engine';

/**
 * One evaluated flag as the AppConfig Agent answers it. AppConfig feature-flag documents:
 * `{enabled, ...attributes}` (attributes are the flag's metadata). flagd documents: the resolved value
 * itself. `undefined` when there is no value to give (error, DISABLED flagd flag, code default): the
 * flag is left out of the map.
 */
export function agentEntry(format: DocumentFormat, result: EvaluationResult): unknown {
  if (result.errorCode !== undefined) return undefined;
  if (format === 'appconfig-feature-flags')
    return { ...attributes(result.metadata), enabled: result.value === true };
  return result.value;
}

function attributes(metadata: FlagMetadata): Record<string, string | number | boolean> {
  const copy: Record<string, string | number | boolean> = Object.create(null);
  for (const [name, value] of Object.entries(metadata)) copy[name] = value;
  return copy;
}
