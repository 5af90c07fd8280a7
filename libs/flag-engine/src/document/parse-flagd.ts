import type { Steps } from '../steps';
import { DocumentProblemCode } from '../errors';
import type { FlagDefinition, FlagState, FlagValue, FlagValueType, JsonObject, JsonValue } from '../model';
import type { ParsedDocument } from './parsed-document';
import { parseMetadata } from './parse-metadata';
import { ProblemList, pointer } from './problems';
import { isJsonObject } from './read-json';

const STATES: readonly string[] = ['ENABLED', 'DISABLED'];

/**
 * The flagd definition format: `{"flags": {...} | [{key, ...}], "$evaluators"?, "metadata"?}`, in steps: it
 * yields after each flag, so that validating a large document lets requests through.
 */
export function* parseFlagdDocument(root: JsonValue, problems: ProblemList): Steps<ParsedDocument | null> {
  if (!isJsonObject(root)) {
    problems.error(DocumentProblemCode.NO_FLAGS, '', 'a flag document must be a JSON object with "flags"');
    return null;
  }
  const entries = flagEntries(root.flags, problems);
  const evaluators = root.$evaluators ?? {};
  if (!isJsonObject(evaluators)) {
    problems.error(
      DocumentProblemCode.INVALID_SHAPE,
      '/$evaluators',
      '"$evaluators" must be an object of named rules',
    );
  }
  const metadata = parseMetadata(root.metadata, ['metadata'], problems);
  const flags: FlagDefinition[] = [];
  for (const [key, value, path] of entries) {
    const flag = parseFlag(key, value, path, problems);
    if (flag !== null) flags.push(flag);
    yield;
  }
  if (problems.errors.length > 0) return null;
  return {
    format: 'flagd',
    flags,
    evaluators: isJsonObject(evaluators) ? evaluators : {},
    metadata,
  };
}

type FlagEntry = [key: string, value: JsonValue, path: (string | number)[]];

function flagEntries(flags: JsonValue | undefined, problems: ProblemList): Iterable<FlagEntry> {
  if (isJsonObject(flags)) return objectEntries(flags);
  if (!Array.isArray(flags)) {
    problems.error(
      DocumentProblemCode.NO_FLAGS,
      '/flags',
      '"flags" must be an object of flags keyed by flag key, or an array of flags with "key"',
    );
    return [];
  }
  const seen = new Set<string>();
  const entries: FlagEntry[] = [];
  flags.forEach((flag, index) => {
    const key = isJsonObject(flag) ? flag.key : undefined;
    if (typeof key !== 'string' || key === '') {
      problems.error(
        DocumentProblemCode.INVALID_FLAG_KEY,
        pointer('flags', index, 'key'),
        'a flag in the "flags" array needs a non-empty string "key"',
      );
    } else if (seen.has(key)) {
      problems.error(
        DocumentProblemCode.INVALID_FLAG_KEY,
        pointer('flags', index, 'key'),
        `duplicate flag key "${key}"`,
        key,
      );
    } else {
      seen.add(key);
      entries.push([key, flag, ['flags', index]]);
    }
  });
  return entries;
}

/** Made one at a time, as the flags are validated. */
function* objectEntries(flags: Record<string, JsonValue>): Generator<FlagEntry> {
  for (const key of Object.keys(flags)) yield [key, flags[key], ['flags', key]];
}

function parseFlag(
  key: string,
  value: JsonValue,
  path: (string | number)[],
  problems: ProblemList,
): FlagDefinition | null {
  const at = (...parts: string[]): string => pointer(...path, ...parts);
  if (key === '') {
    problems.error(DocumentProblemCode.INVALID_FLAG_KEY, at(), 'flag keys must not be empty');
    return null;
  }
  if (!isJsonObject(value)) {
    problems.error(DocumentProblemCode.INVALID_SHAPE, at(), 'a flag must be an object', key);
    return null;
  }
  const errorsBefore = problems.errors.length;
  const state = value.state;
  if (typeof state !== 'string' || !STATES.includes(state)) {
    problems.error(
      DocumentProblemCode.UNKNOWN_STATE,
      at('state'),
      `state must be "ENABLED" or "DISABLED", got ${JSON.stringify(state ?? null)}`,
      key,
    );
  }
  const variants = value.variants;
  let valueType: FlagValueType | null = null;
  if (!isJsonObject(variants) || Object.keys(variants).length === 0) {
    problems.error(
      DocumentProblemCode.NO_VARIANTS,
      at('variants'),
      'a flag needs a non-empty "variants" object',
      key,
    );
  } else {
    valueType = variantType(key, variants, path, problems);
  }
  const defaultVariant = value.defaultVariant;
  if (defaultVariant !== undefined && defaultVariant !== null) {
    if (
      typeof defaultVariant !== 'string' ||
      !isJsonObject(variants) ||
      !Object.hasOwn(variants, defaultVariant)
    ) {
      problems.error(
        DocumentProblemCode.UNKNOWN_DEFAULT_VARIANT,
        at('defaultVariant'),
        `defaultVariant ${JSON.stringify(defaultVariant)} is not one of the variants`,
        key,
      );
    }
  }
  const targeting = value.targeting;
  if (targeting !== undefined && targeting !== null && !isJsonObject(targeting)) {
    problems.error(
      DocumentProblemCode.INVALID_TARGETING,
      at('targeting'),
      'targeting must be a JSON Logic object',
      key,
    );
  }
  const metadata = parseMetadata(value.metadata, [...path.map(String), 'metadata'], problems, key);
  if (problems.errors.length > errorsBefore || valueType === null) return null;
  return {
    key,
    state: state as FlagState,
    variants: variants as Record<string, FlagValue>,
    ...(typeof defaultVariant === 'string' ? { defaultVariant } : {}),
    // `{}` is "no targeting" in flagd.
    ...(isJsonObject(targeting) && Object.keys(targeting).length > 0
      ? { targeting: targeting as JsonObject }
      : {}),
    metadata,
    valueType,
  };
}

function variantType(
  key: string,
  variants: Record<string, JsonValue>,
  path: (string | number)[],
  problems: ProblemList,
): FlagValueType | null {
  let type: FlagValueType | null = null;
  for (const [name, variant] of Object.entries(variants)) {
    const current = typeOfValue(variant);
    if (current === null) {
      problems.error(
        DocumentProblemCode.MIXED_VARIANT_TYPES,
        pointer(...path, 'variants', name),
        'a variant must be a boolean, string, number or object',
        key,
      );
      return null;
    }
    if (type !== null && current !== type) {
      problems.error(
        DocumentProblemCode.MIXED_VARIANT_TYPES,
        pointer(...path, 'variants', name),
        `variants of one flag must share a type: "${name}" is ${current}, earlier variants are ${type}`,
        key,
      );
      return null;
    }
    type = current;
  }
  return type;
}

function typeOfValue(value: unknown): FlagValueType | null {
  switch (typeof value) {
    case 'boolean':
      return 'boolean';
    case 'string':
      return 'string';
    case 'number':
      return Number.isFinite(value) ? 'number' : null;
    case 'object':
      return value === null ? null : 'object';
    default:
      return null;
  }
}
