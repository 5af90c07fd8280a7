import { IonTypes, makeReader, type Reader } from 'ion-js';
import { DocumentProblemCode } from '../errors';
import type { JsonValue } from '../model';
import { decodeInSteps, isJsonObject } from '../document/read-json';
import { ProblemList, pointer } from '../document/problems';
import { RuleError, type AppConfigFlag, type AppConfigVariant, type RuleNode } from './model';
import { retrievalAttributes } from './parse-retrieval-json';
import { MAX_VARIANTS, compiledCondition } from './read-variants';
import { ruleFromIon } from './rules/rule-from-ion';
import { drainSteps, type Steps } from '../steps';

const ION_BINARY_MARKER = [0xe0, 0x01, 0x00, 0xea];
const ION_TYPE = /^\s*application\/ion\s*(?:;|$)/i;

/** Ion by content type (`application/ion; type=AWS.AppConfig.FeatureFlags`), binary marker, or leading annotation. */
export function looksLikeIon(content: string | Uint8Array, contentType: string | undefined): boolean {
  if (contentType !== undefined && ION_TYPE.test(contentType)) return true;
  if (typeof content !== 'string')
    return isBinaryIon(content) || startsLikeIonText(new TextDecoder().decode(content.subarray(0, 256)));
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
  return drainSteps(parseIonInSteps(content, problems));
}

/**
 * `parseIonDocument` in steps: text decoded a piece per step, then a yield after each flag read and checked (its
 * rules compiled). A flag is read straight from ion-js's reader into what the checks need (JSON texts, rule
 * trees) and checked at once, not loaded with the rest into ion-js's DOM first: for a 10,000-flag profile the
 * DOM took twice the CPU, and holding every flag's values until the last was read made them survive garbage
 * collections, whose pauses were most of the load's longest turns.
 */
export function* parseIonInSteps(
  content: string | Uint8Array,
  problems: ProblemList,
): Steps<AppConfigFlag[]> {
  // Text as a string: given bytes, ion-js copies and decodes the whole content in one call.
  const data = typeof content === 'string' || isBinaryIon(content) ? content : yield* decodeInSteps(content);
  if (data === null) {
    problems.error(DocumentProblemCode.NOT_ION, '', 'content is not Amazon Ion: it is not valid UTF-8');
    return [];
  }
  // A flag's problems count only if the whole content is Ion: content that is not is refused with that one problem.
  const flagProblems = new ProblemList();
  const flags: AppConfigFlag[] = [];
  const seen = new Set<string>();
  try {
    const reader = makeReader(data);
    for (let index = 0; reader.next() !== null; index++) {
      checkIonFlag(readFlagValue(reader), index, seen, flags, flagProblems);
      yield;
    }
  } catch (error) {
    problems.error(DocumentProblemCode.NOT_ION, '', `content is not Amazon Ion: ${(error as Error).message}`);
    return [];
  }
  problems.errors.push(...flagProblems.errors);
  problems.warnings.push(...flagProblems.warnings);
  return flags;
}

function isBinaryIon(content: Uint8Array): boolean {
  return ION_BINARY_MARKER.every((byte, i) => content[i] === byte);
}

/** A top-level value as read: its key annotation and a basic flag's JSON, a variant list, or another Ion type. */
interface IonFlagValue {
  readonly key: string | undefined;
  readonly body:
    | { readonly type: 'string'; readonly json: string }
    | { readonly type: 'list'; readonly elements: readonly IonVariantElement[]; readonly length: number }
    | { readonly type: 'other'; readonly name: string };
}

/** An element of a variant list: the default's JSON (no rule), a `[rule, json]` pair, or neither (null). */
type IonVariantElement = { readonly json: string; readonly rule?: RuleNode | RuleError } | null;

function readFlagValue(reader: Reader): IonFlagValue {
  const [key] = reader.annotations();
  const type = reader.type();
  if (type === IonTypes.STRING) return { key, body: { type: 'string', json: String(reader.stringValue()) } };
  if (type !== IonTypes.LIST || reader.isNull())
    return {
      key,
      body: {
        type: 'other',
        name: reader.isNull() && type !== IonTypes.NULL ? `null.${type?.name}` : (type?.name ?? 'value'),
      },
    };
  // Beyond MAX_VARIANTS the flag is refused for its length: later elements are skipped by the reader (which
  // still checks they are Ion), not converted.
  const elements: IonVariantElement[] = [];
  let length = 0;
  reader.stepIn();
  for (; reader.next() !== null; length++)
    if (length < MAX_VARIANTS) elements.push(readVariantElement(reader));
  reader.stepOut();
  return { key, body: { type: 'list', elements, length } };
}

function readVariantElement(reader: Reader): IonVariantElement {
  const type = reader.type();
  if (type === IonTypes.STRING) return { json: String(reader.stringValue()) };
  if (type !== IonTypes.LIST || reader.isNull()) return null;
  reader.stepIn();
  let element: IonVariantElement = null;
  if (reader.next() !== null) {
    const rule = ruleFromIon(reader);
    if (reader.next() === IonTypes.STRING) {
      const json = String(reader.stringValue());
      if (reader.next() === null) element = { json, rule };
    }
  }
  reader.stepOut();
  return element;
}

function checkIonFlag(
  { key, body }: IonFlagValue,
  index: number,
  seen: Set<string>,
  flags: AppConfigFlag[],
  problems: ProblemList,
): void {
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
  if (body.type === 'string') {
    const json = flagJson(key, body.json, [key], problems);
    if (json !== null)
      flags.push({
        key,
        basic: {
          enabled: json.enabled,
          attributes: retrievalAttributes(key, json.object, [key], problems),
        },
      });
  } else if (body.type === 'list') {
    const variants = checkIonVariants(key, body.elements, body.length, problems);
    if (variants !== null) flags.push({ key, variants });
  } else
    problems.error(
      DocumentProblemCode.APPCONFIG_INVALID_SHAPE,
      pointer(key),
      `flag "${key}" must be a string or a list, got an Ion ${body.name}`,
      key,
    );
}

function checkIonVariants(
  key: string,
  elements: readonly IonVariantElement[],
  length: number,
  problems: ProblemList,
): AppConfigVariant[] | null {
  const before = problems.errors.length;
  if (length === 0 || length > MAX_VARIANTS) {
    problems.error(
      DocumentProblemCode.APPCONFIG_INVALID_VARIANT,
      pointer(key),
      `a flag has 1 to ${MAX_VARIANTS} variants, got ${length}`,
      key,
    );
    return null;
  }
  const names = new Set<string>();
  const variants: AppConfigVariant[] = [];
  elements.forEach((element, index) => {
    const last = index === length - 1;
    if (element === null || (element.rule === undefined) !== last) {
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
    const json = flagJson(key, element.json, [key, index], problems);
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
    const { rule } = element;
    if (rule === undefined) variants.push({ name, enabled: json.enabled, attributes });
    else {
      const condition = compiledCondition(
        () => {
          if (rule instanceof RuleError) throw rule;
          return rule;
        },
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
  text: string,
  path: readonly (string | number)[],
  problems: ProblemList,
): { enabled: boolean; object: Record<string, JsonValue> } | null {
  let object: JsonValue;
  try {
    object = JSON.parse(text) as JsonValue;
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
