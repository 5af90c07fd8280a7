import { DocumentProblemCode } from '../errors';
import type { FlagMetadata, JsonValue } from '../model';
import { ProblemList, pointer } from './problems';
import { isJsonObject } from './read-json';

/** flagd metadata: an object of strings, numbers and booleans. */
export function parseMetadata(
  value: JsonValue | undefined,
  path: readonly string[],
  problems: ProblemList,
  flagKey?: string,
): FlagMetadata {
  if (value === undefined) return {};
  if (!isJsonObject(value)) {
    problems.error(
      DocumentProblemCode.INVALID_METADATA,
      pointer(...path),
      'metadata must be an object',
      flagKey,
    );
    return {};
  }
  const metadata: Record<string, string | number | boolean> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry === 'string' || typeof entry === 'number' || typeof entry === 'boolean')
      metadata[key] = entry;
    else {
      problems.error(
        DocumentProblemCode.INVALID_METADATA,
        pointer(...path, key),
        'metadata values must be strings, numbers or booleans',
        flagKey,
      );
    }
  }
  return metadata;
}
