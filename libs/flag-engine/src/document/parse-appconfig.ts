import { DocumentProblemCode } from '../errors';
import type { FlagDefinition, JsonValue } from '../model';
import type { ParsedDocument } from './parsed-document';
import { ProblemList, pointer } from './problems';
import { isJsonObject } from './read-json';

const AWS_FEATURE_FLAGS = /(?:^|;)\s*type\s*=\s*"?AWS\.AppConfig\.FeatureFlags"?\s*(?:;|$)/i;

/** The content type says "AppConfig feature flags" (`application/json; type=AWS.AppConfig.FeatureFlags`). */
export function declaresAppConfigFeatureFlags(contentType: string | undefined): boolean {
  return contentType !== undefined && AWS_FEATURE_FLAGS.test(contentType);
}

/** The shape GetLatestConfiguration returns for a feature-flag profile: `{"key": {"enabled": bool, ...}}`. */
export function looksLikeAppConfigFeatureFlags(root: JsonValue): boolean {
  if (!isJsonObject(root)) return false;
  const values = Object.values(root);
  return (
    values.length > 0 &&
    values.every((flag) => isJsonObject(flag) && typeof flag.enabled === 'boolean' && !('variants' in flag))
  );
}

/** Each key is a boolean flag: variants on/off, value `enabled`, primitive attributes as metadata, STATIC reason. */
export function parseAppConfigDocument(root: JsonValue, problems: ProblemList): ParsedDocument | null {
  if (!isJsonObject(root)) {
    problems.error(
      DocumentProblemCode.NO_FLAGS,
      '',
      'an AppConfig feature-flag document must be a JSON object of flags',
    );
    return null;
  }
  const flags: FlagDefinition[] = [];
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
    const metadata: Record<string, string | number | boolean> = {};
    for (const [name, attribute] of Object.entries(flag)) {
      if (name === 'enabled') continue;
      if (typeof attribute === 'string' || typeof attribute === 'number' || typeof attribute === 'boolean')
        metadata[name] = attribute;
      else
        problems.warning(
          DocumentProblemCode.ATTRIBUTE_IGNORED,
          pointer(key, name),
          'only string, number and boolean attributes become metadata',
          key,
        );
    }
    flags.push({
      key,
      state: 'ENABLED',
      variants: { on: true, off: false },
      defaultVariant: flag.enabled ? 'on' : 'off',
      metadata,
      valueType: 'boolean',
    });
  }
  if (problems.errors.length > 0) return null;
  return { format: 'appconfig-feature-flags', flags, evaluators: {}, metadata: {} };
}
