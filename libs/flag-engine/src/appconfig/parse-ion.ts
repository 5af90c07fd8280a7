import { loadAll, type dom } from 'ion-js';
import { DocumentProblemCode } from '../errors';
import type { JsonValue } from '../model';
import { isJsonObject } from '../document/read-json';
import { pointer, type ProblemList } from '../document/problems';
import type { AppConfigFlag, AppConfigVariant } from './model';
import { retrievalAttributes } from './parse-retrieval-json';
import { MAX_VARIANTS, compiledCondition } from './read-variants';
import { ruleFromIon } from './rules/rule-from-ion';

const ION_BINARY_MARKER = [0xe0, 0x01, 0x00, 0xea];
const ION_TYPE = /^\s*application\/ion\s*(?:;|$)/i;

/** Ion by content type (`application/ion; type=AWS.AppConfig.FeatureFlags`), binary marker, or leading annotation. */
export function looksLikeIon(content: string | Uint8Array, contentType: string | undefined): boolean {
  if (contentType !== undefined && ION_TYPE.test(contentType)) return true;
  if (typeof content !== 'string')
    return (
      ION_BINARY_MARKER.every((byte, i) => content[i] === byte) ||
      startsLikeIonText(new TextDecoder().decode(content.subarray(0, 256)))
    );
  return startsLikeIonText(content.slice(0, 256));
}

// A retrieval Ion document starts with a flag key annotation: `'key'::` or `key::` (JSON never does).
function startsLikeIonText(head: string): boolean {
  return /^\s*(?:\/\/[^\n]*\n\s*)*(?:'[^']*'|[A-Za-z_$][A-Za-z0-9_$]*)\s*::/.test(head);
}

/**
 * The Ion retrieval format of a profile with multi-variant flags (text or binary): each flag is a value annotated
 * with its key — a string of JSON for a basic flag, or a list of `[rule, '''{json}''']` pairs ending with the
 * default variant's JSON. Parsed with ion-js; rules become the same compiled form as the authoring document's.
 */
export function parseIonDocument(content: string | Uint8Array, problems: ProblemList): AppConfigFlag[] {
  let values: dom.Value[];
  try {
    values = loadAll(content);
  } catch (error) {
    problems.error(DocumentProblemCode.NOT_ION, '', `content is not Amazon Ion: ${(error as Error).message}`);
    return [];
  }
  const flags: AppConfigFlag[] = [];
  const seen = new Set<string>();
  values.forEach((value, index) => {
    const [key] = value.getAnnotations();
    if (key === undefined || key === '') {
      problems.error(
        DocumentProblemCode.APPCONFIG_INVALID_SHAPE,
        `/${index}`,
        `top-level value ${index} has no flag key annotation`,
      );
      return;
    }
    if (seen.has(key)) {
      problems.error(
        DocumentProblemCode.APPCONFIG_INVALID_KEY,
        pointer(key),
        `flag "${key}" appears twice`,
        key,
      );
      return;
    }
    seen.add(key);
    const type = value.getType().name;
    if (type === 'string') {
      const json = flagJson(key, value, [key], problems);
      if (json !== null)
        flags.push({
          key,
          basic: {
            enabled: json.enabled,
            attributes: retrievalAttributes(key, json.object, [key], problems),
          },
        });
    } else if (type === 'list') {
      const variants = readIonVariants(key, [...(value as unknown as Iterable<dom.Value>)], problems);
      if (variants !== null) flags.push({ key, variants });
    } else
      problems.error(
        DocumentProblemCode.APPCONFIG_INVALID_SHAPE,
        pointer(key),
        `flag "${key}" must be a string or a list, got an Ion ${type}`,
        key,
      );
  });
  return flags;
}

function readIonVariants(
  key: string,
  elements: dom.Value[],
  problems: ProblemList,
): AppConfigVariant[] | null {
  const before = problems.errors.length;
  if (elements.length === 0 || elements.length > MAX_VARIANTS) {
    problems.error(
      DocumentProblemCode.APPCONFIG_INVALID_VARIANT,
      pointer(key),
      `a flag has 1 to ${MAX_VARIANTS} variants, got ${elements.length}`,
      key,
    );
    return null;
  }
  const names = new Set<string>();
  const variants: AppConfigVariant[] = [];
  elements.forEach((element, index) => {
    const last = index === elements.length - 1;
    const type = element.getType().name;
    const pair = type === 'list' ? [...(element as unknown as Iterable<dom.Value>)] : null;
    if (
      last ? type !== 'string' : pair === null || pair.length !== 2 || pair[1].getType().name !== 'string'
    ) {
      problems.error(
        DocumentProblemCode.APPCONFIG_INVALID_VARIANT,
        pointer(key, index),
        last
          ? 'the last element is the default variant: a string of JSON, without a rule'
          : `element ${index} must be a [rule, '''{json}'''] pair`,
        key,
      );
      return;
    }
    const json = flagJson(key, last ? element : (pair as dom.Value[])[1], [key, index], problems);
    if (json === null) return;
    const name = json.object._variant;
    if (typeof name !== 'string' || name === '' || names.has(name)) {
      problems.error(
        DocumentProblemCode.APPCONFIG_INVALID_VARIANT,
        pointer(key, index),
        `variant ${index} needs a unique "_variant" name`,
        key,
      );
      return;
    }
    names.add(name);
    const attributes = retrievalAttributes(key, json.object, [key, index], problems);
    if (last) variants.push({ name, enabled: json.enabled, attributes });
    else {
      const rule = (pair as dom.Value[])[0];
      const condition = compiledCondition(
        () => ruleFromIon(rule),
        key,
        name,
        pointer(key, index, 0),
        problems,
      );
      if (condition !== null) variants.push({ name, enabled: json.enabled, condition, attributes });
    }
  });
  return problems.errors.length > before ? null : variants;
}

function flagJson(
  key: string,
  value: dom.Value,
  path: readonly (string | number)[],
  problems: ProblemList,
): { enabled: boolean; object: Record<string, JsonValue> } | null {
  let object: JsonValue;
  try {
    object = JSON.parse(String(value.stringValue())) as JsonValue;
  } catch (error) {
    problems.error(
      DocumentProblemCode.APPCONFIG_INVALID_SHAPE,
      pointer(...path),
      `the flag's content is not JSON: ${(error as Error).message}`,
      key,
    );
    return null;
  }
  if (!isJsonObject(object) || typeof object.enabled !== 'boolean' || Object.hasOwn(object, '__proto__')) {
    problems.error(
      DocumentProblemCode.APPCONFIG_INVALID_SHAPE,
      pointer(...path),
      'the flag\'s content must be a JSON object with a boolean "enabled"',
      key,
    );
    return null;
  }
  return { enabled: object.enabled, object };
}
