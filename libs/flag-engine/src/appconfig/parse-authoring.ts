import { DocumentProblemCode } from '../errors';
import type { JsonObject, JsonValue } from '../model';
import { isJsonObject } from '../document/read-json';
import { pointer, type ProblemList } from '../document/problems';
import { isAttributeValue } from './attributes';
import { readConstraints, violation, type AttributeConstraints } from './constraints';
import type { AppConfigFlag, AppConfigVariant, AttributeValue } from './model';
import { MAX_VARIANTS, compiledCondition } from './read-variants';
import { parseRuleText } from './rules/parse-rule-text';
import { drainSteps, type Steps } from '../steps';

/** Flag and attribute keys, as AppConfig's schema allows them. */
export const APPCONFIG_KEY = /^[a-z][a-zA-Z\d_-]{0,63}$/;
const NAME = /^[^\n]{1,64}$/;
const MAX_ATTRIBUTES = 25;
const MAX_DESCRIPTION = 1024;
const MAX_RULE_TEXT = 16_384;
const DEFINITION_FIELDS = ['name', 'description', '_createdAt', '_updatedAt', '_deprecation', 'attributes'];
const VARIANT_FIELDS = ['name', 'enabled', 'rule', 'attributeValues'];
const VALUE_FIELDS = new Set(['enabled', '_createdAt', '_updatedAt', '_variants']);

/** The authoring form: `{"version": "1", "flags": {...}, "values": {...}}` (what CreateHostedConfigurationVersion takes). */
export function isAuthoringDocument(root: JsonValue): root is JsonObject {
  if (!isJsonObject(root) || !('version' in root)) return false;
  if ('values' in root) return true;
  return (
    !isJsonObject(root.flags) ||
    Object.values(root.flags).every((flag) => !isJsonObject(flag) || !('state' in flag))
  );
}

/** Declared attributes of a flag; null constraints accept any attribute value. */
type Declared = Map<string, AttributeConstraints | null>;
type Definitions = Map<string, Declared>;

/**
 * Reads and validates an authoring document as AppConfig does (its JSON schema, attribute constraints, variant
 * order, rules); every problem is recorded, and the document is rejected if there is any. Flags appear in the
 * order of `flags`; a flag without an entry in `values` is a disabled basic flag.
 */
export function parseAuthoringDocument(root: JsonObject, problems: ProblemList): AppConfigFlag[] {
  return drainSteps(parseAuthoringInSteps(root, problems));
}

/** `parseAuthoringDocument` in steps: a yield after each flag's definition and each flag's values (rules parsed). */
export function* parseAuthoringInSteps(root: JsonObject, problems: ProblemList): Steps<AppConfigFlag[]> {
  for (const key of Object.keys(root))
    if (!['version', 'flags', 'values'].includes(key))
      shape(problems, pointer(key), `"${key}" is not a field of an AppConfig feature-flag document`);
  if (root.version !== '1') shape(problems, '/version', 'version must be "1"');
  const rawFlags = root.flags ?? {};
  const rawValues = root.values ?? {};
  if (!isJsonObject(rawFlags)) shape(problems, '/flags', '"flags" must be an object');
  if (!isJsonObject(rawValues)) shape(problems, '/values', '"values" must be an object');
  if (!isJsonObject(rawFlags) || !isJsonObject(rawValues)) return [];

  const definitions: Definitions = new Map();
  for (const [key, definition] of Object.entries(rawFlags)) {
    const attributes = readDefinition(key, definition, problems);
    if (attributes !== null) definitions.set(key, attributes);
    yield;
  }
  for (const key of Object.keys(rawValues))
    if (!Object.hasOwn(rawFlags, key))
      problems.error(
        DocumentProblemCode.APPCONFIG_INVALID_KEY,
        pointer('values', key),
        `values has an entry for "${key}", which is not defined under flags`,
        key,
      );
  const flags: AppConfigFlag[] = [];
  for (const [key, attributes] of definitions) {
    const flag = readValue(key, Object.hasOwn(rawValues, key) ? rawValues[key] : {}, attributes, problems);
    if (flag !== null) flags.push(flag);
    yield;
  }
  return flags;
}

function readDefinition(key: string, raw: JsonValue, problems: ProblemList): Declared | null {
  const path = pointer('flags', key);
  if (!APPCONFIG_KEY.test(key)) {
    invalidKey(problems, path, `flag key "${key}" must match ${APPCONFIG_KEY.source}`, key);
    return null;
  }
  if (!isJsonObject(raw)) {
    shape(problems, path, 'a flag definition must be an object', key);
    return null;
  }
  for (const field of Object.keys(raw))
    if (!DEFINITION_FIELDS.includes(field))
      shape(problems, pointer('flags', key, field), `"${field}" is not a field of a flag definition`, key);
  if (typeof raw.name !== 'string' || !NAME.test(raw.name))
    shape(
      problems,
      pointer('flags', key, 'name'),
      'name must be 1 to 64 characters without a line break',
      key,
    );
  if (
    raw.description !== undefined &&
    (typeof raw.description !== 'string' || raw.description.length > MAX_DESCRIPTION)
  )
    shape(
      problems,
      pointer('flags', key, 'description'),
      `description must be text of at most ${MAX_DESCRIPTION} characters`,
      key,
    );
  for (const stamp of ['_createdAt', '_updatedAt'])
    if (raw[stamp] !== undefined && typeof raw[stamp] !== 'string')
      shape(problems, pointer('flags', key, stamp), `${stamp} must be a string`, key);
  if (raw._deprecation !== undefined) checkDeprecation(key, raw._deprecation, problems);
  const attributes: Declared = new Map();
  const rawAttributes = raw.attributes ?? {};
  if (!isJsonObject(rawAttributes)) {
    shape(problems, pointer('flags', key, 'attributes'), 'attributes must be an object', key);
    return attributes;
  }
  const names = Object.keys(rawAttributes);
  if (names.length > MAX_ATTRIBUTES)
    shape(
      problems,
      pointer('flags', key, 'attributes'),
      `a flag has at most ${MAX_ATTRIBUTES} attributes`,
      key,
    );
  for (const name of names) {
    const where = pointer('flags', key, 'attributes', name);
    const attribute = rawAttributes[name];
    if (!APPCONFIG_KEY.test(name)) {
      invalidKey(problems, where, `attribute key "${name}" must match ${APPCONFIG_KEY.source}`, key);
      continue;
    }
    if (
      !isJsonObject(attribute) ||
      Object.keys(attribute).some((field) => field !== 'description' && field !== 'constraints')
    ) {
      shape(problems, where, 'an attribute definition has only "description" and "constraints"', key);
      continue;
    }
    const constraints = attribute.constraints === undefined ? null : readConstraints(attribute.constraints);
    if (typeof constraints === 'string') {
      constraint(problems, `${where}/constraints`, `attribute "${name}": ${constraints}`, key);
      continue;
    }
    attributes.set(name, constraints);
  }
  return attributes;
}

function checkDeprecation(key: string, raw: JsonValue, problems: ProblemList): void {
  const path = pointer('flags', key, '_deprecation');
  if (
    !isJsonObject(raw) ||
    Object.keys(raw).some((field) => field !== 'status' && field !== 'date') ||
    (raw.status !== undefined && raw.status !== 'planned') ||
    (raw.date !== undefined && (typeof raw.date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(raw.date)))
  )
    shape(problems, path, '_deprecation is {"status": "planned", "date": "YYYY-MM-DD"}', key);
}

function readValue(
  key: string,
  raw: JsonValue,
  declared: Declared,
  problems: ProblemList,
): AppConfigFlag | null {
  const path = pointer('values', key);
  if (!isJsonObject(raw)) {
    shape(problems, path, 'a flag value must be an object', key);
    return null;
  }
  if (raw.enabled !== undefined && typeof raw.enabled !== 'boolean')
    shape(problems, pointer('values', key, 'enabled'), 'enabled must be a boolean', key);
  for (const stamp of ['_createdAt', '_updatedAt'])
    if (raw[stamp] !== undefined && typeof raw[stamp] !== 'string')
      shape(problems, pointer('values', key, stamp), `${stamp} must be a string`, key);
  if (raw._variants !== undefined) {
    const variants = readVariants(key, raw._variants, declared, problems);
    return variants === null ? null : { key, variants };
  }
  const values: Record<string, JsonValue> = {};
  for (const [name, value] of Object.entries(raw)) if (!VALUE_FIELDS.has(name)) values[name] = value;
  const attributes = readAttributes(key, values, declared, path, problems);
  // A flag without "enabled" is off (inferred: AWS's schema does not require the field).
  return { key, basic: { enabled: raw.enabled === true, attributes } };
}

function readVariants(
  key: string,
  raw: JsonValue,
  declared: Declared,
  problems: ProblemList,
): AppConfigVariant[] | null {
  const path = pointer('values', key, '_variants');
  const before = problems.errors.length;
  if (!Array.isArray(raw) || raw.length === 0) {
    variantProblem(problems, path, '_variants must be a non-empty list', key);
    return null;
  }
  if (raw.length > MAX_VARIANTS)
    variantProblem(problems, path, `a flag has at most ${MAX_VARIANTS} variants, got ${raw.length}`, key);
  const names = new Set<string>();
  const variants: AppConfigVariant[] = [];
  raw.slice(0, MAX_VARIANTS).forEach((entry, index) => {
    const where = pointer('values', key, '_variants', index);
    if (!isJsonObject(entry)) {
      variantProblem(problems, where, `variant ${index} must be an object`, key);
      return;
    }
    for (const field of Object.keys(entry))
      if (!VARIANT_FIELDS.includes(field))
        variantProblem(problems, `${where}/${field}`, `"${field}" is not a field of a variant`, key);
    const name = entry.name;
    if (typeof name !== 'string' || !NAME.test(name)) {
      variantProblem(
        problems,
        `${where}/name`,
        `variant ${index} needs a name of 1 to 64 characters without a line break`,
        key,
      );
      return;
    }
    if (names.has(name))
      variantProblem(problems, `${where}/name`, `variant name ${JSON.stringify(name)} is used twice`, key);
    names.add(name);
    if (typeof entry.enabled !== 'boolean')
      variantProblem(
        problems,
        `${where}/enabled`,
        `variant ${JSON.stringify(name)} needs a boolean "enabled"`,
        key,
      );
    const last = index === raw.length - 1;
    let condition: JsonValue | null | undefined;
    if (entry.rule === undefined || entry.rule === '') {
      if (!last)
        variantProblem(
          problems,
          `${where}/rule`,
          `variant ${JSON.stringify(name)} has no rule: only the default variant, last, may have none`,
          key,
        );
    } else if (last) {
      variantProblem(
        problems,
        `${where}/rule`,
        `the default variant ${JSON.stringify(name)} is last and must not have a rule`,
        key,
      );
    } else if (typeof entry.rule !== 'string' || entry.rule.length > MAX_RULE_TEXT) {
      variantProblem(
        problems,
        `${where}/rule`,
        `variant ${JSON.stringify(name)}: rule must be text of at most ${MAX_RULE_TEXT} characters`,
        key,
      );
    } else {
      const text = entry.rule;
      condition = compiledCondition(() => parseRuleText(text), key, name, `${where}/rule`, problems);
    }
    const rawValues = entry.attributeValues ?? {};
    if (!isJsonObject(rawValues)) {
      shape(problems, `${where}/attributeValues`, 'attributeValues must be an object', key);
      return;
    }
    const enabled = entry.enabled === true;
    const attributes = readAttributes(
      key,
      rawValues,
      declared,
      `${where}/attributeValues`,
      problems,
      enabled,
    );
    variants.push(
      condition === undefined || condition === null
        ? { name, enabled, attributes }
        : { name, enabled, condition, attributes },
    );
  });
  return problems.errors.length > before ? null : variants;
}

/** Attribute values checked against their declarations; `required` applies where the answer carries them. */
function readAttributes(
  key: string,
  values: JsonObject,
  declared: Declared,
  path: string,
  problems: ProblemList,
  checkRequired = true,
): Record<string, AttributeValue> {
  const attributes: Record<string, AttributeValue> = {};
  const names = Object.keys(values);
  if (names.length > MAX_ATTRIBUTES) shape(problems, path, `at most ${MAX_ATTRIBUTES} attribute values`, key);
  for (const name of names) {
    const value = values[name];
    const where = `${path}/${pointer(name).slice(1)}`;
    if (!declared.has(name)) {
      constraint(problems, where, `attribute "${name}" is not defined under flags.${key}.attributes`, key);
      continue;
    }
    if (!isAttributeValue(value)) {
      constraint(
        problems,
        where,
        `attribute "${name}" must be a string, number, boolean, or an array of strings or of numbers`,
        key,
      );
      continue;
    }
    const constraints = declared.get(name);
    const problem = constraints === null || constraints === undefined ? null : violation(value, constraints);
    if (problem !== null) constraint(problems, where, `attribute "${name}" ${problem}`, key);
    else attributes[name] = value;
  }
  if (checkRequired)
    for (const [name, constraints] of declared)
      if (constraints?.required === true && !Object.hasOwn(values, name))
        constraint(problems, path, `attribute "${name}" is required`, key);
  return attributes;
}

function shape(problems: ProblemList, path: string, message: string, flagKey?: string): void {
  problems.error(DocumentProblemCode.APPCONFIG_INVALID_SHAPE, path, message, flagKey);
}

function invalidKey(problems: ProblemList, path: string, message: string, flagKey: string): void {
  problems.error(DocumentProblemCode.APPCONFIG_INVALID_KEY, path, message, flagKey);
}

function constraint(problems: ProblemList, path: string, message: string, flagKey: string): void {
  problems.error(DocumentProblemCode.APPCONFIG_ATTRIBUTE_CONSTRAINT, path, message, flagKey);
}

function variantProblem(problems: ProblemList, path: string, message: string, flagKey: string): void {
  problems.error(DocumentProblemCode.APPCONFIG_INVALID_VARIANT, path, message, flagKey);
}
