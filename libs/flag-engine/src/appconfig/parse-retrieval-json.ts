import { DocumentProblemCode } from '../errors';
import type { JsonObject, JsonValue } from '../model';
import { isJsonObject } from '../document/read-json';
import { pointer, type ProblemList } from '../document/problems';
import { isAttributeValue } from './attributes';
import type { AppConfigFlag, AttributeValue } from './model';

/** The shape GetLatestConfiguration returns for basic flags: `{"key": {"enabled": bool, ...}}`. */
export function looksLikeRetrievalJson(root: JsonValue): boolean {
  if (!isJsonObject(root)) return false;
  const values = Object.values(root);
  return (
    values.length > 0 &&
    values.every((flag) => isJsonObject(flag) && typeof flag.enabled === 'boolean' && !('variants' in flag))
  );
}

/** Each key is a basic flag with its `enabled` and its attributes (arrays of strings or numbers included). */
export function parseRetrievalJson(root: JsonValue, problems: ProblemList): AppConfigFlag[] {
  if (!isJsonObject(root)) {
    problems.error(
      DocumentProblemCode.NO_FLAGS,
      '',
      'an AppConfig feature-flag document must be a JSON object of flags',
    );
    return [];
  }
  const flags: AppConfigFlag[] = [];
  for (const [key, flag] of Object.entries(root)) {
    if (key === '') {
      problems.error(DocumentProblemCode.INVALID_FLAG_KEY, pointer(key), 'flag keys must not be empty');
      continue;
    }
    if (!isJsonObject(flag) || typeof flag.enabled !== 'boolean') {
      problems.error(
        DocumentProblemCode.INVALID_SHAPE,
        pointer(key, 'enabled'),
        'an AppConfig feature flag needs a boolean "enabled"',
        key,
      );
      continue;
    }
    flags.push({
      key,
      basic: { enabled: flag.enabled, attributes: retrievalAttributes(key, flag, [key], problems) },
    });
  }
  return flags;
}

/** The attributes of a retrieval-format flag or variant (everything but `enabled` and `_variant`). */
export function retrievalAttributes(
  key: string,
  flag: JsonObject,
  path: readonly (string | number)[],
  problems: ProblemList,
): Record<string, AttributeValue> {
  const attributes: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(flag)) {
    if (name === 'enabled' || name === '_variant') continue;
    if (isAttributeValue(value)) attributes[name] = value;
    else
      problems.warning(
        DocumentProblemCode.ATTRIBUTE_IGNORED,
        pointer(...path, name),
        'only strings, numbers, booleans and arrays of strings or of numbers are AppConfig attributes',
        key,
      );
  }
  return attributes;
}
