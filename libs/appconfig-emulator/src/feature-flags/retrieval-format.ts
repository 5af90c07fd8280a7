/**
 * What AppConfigData serves for a feature-flag profile whose deployed content is the authoring document
 * (`{"version": "1", "flags": …, "values": …}`, what CreateHostedConfigurationVersion stores). This emulator's
 * own reading of AWS's documentation, deliberately independent of flagfleet's flag engine:
 * - JSON (`application/json`): `{key: {"enabled", ...attributes}}`, a disabled flag as `{"enabled": false}`;
 *   a multi-variant flag as its default variant (`{"_variant", "enabled", ...}`) — inferred: AWS documents that
 *   SDK callers do not receive variant data, not what they receive instead;
 * - Ion (`application/ion; type=AWS.AppConfig.FeatureFlags`), when the profile has a multi-variant flag: each
 *   flag annotated with its key, a basic flag as a string of its JSON, a multi-variant flag as a list of
 *   `[rule, '''{json}''']` pairs ending with the default variant's JSON (the layout of AWS's agent samples).
 */
export interface RetrievalFormats {
  readonly json: Buffer;
  /** Present when at least one flag has variants. */
  readonly ion?: Buffer;
}

import { loadAll } from 'ion-js';

export const ION_FEATURE_FLAGS = 'application/ion; type=AWS.AppConfig.FeatureFlags';
const KEY = /^[a-z][a-zA-Z\d_-]{0,63}$/;
const FEATURE_FLAGS_TYPE = /type\s*=\s*"?AWS\.AppConfig\.FeatureFlags"?/i;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** `"version"` as written, or any escape (JSON may spell the key with escapes). */
function mayHoldVersionKey(content: Buffer): boolean {
  return content.includes('"version"') || content.includes('\\u');
}

function isObject(value: Json | undefined): value is JsonObject {
  return value !== null && value !== undefined && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The retrieval formats of an authoring document; null for any other content, and for an authoring document that
 * AWS would refuse in ways this emulator checks (keys, variant order, rules that are not one Ion s-expression):
 * such content is served as deployed, so that the caller's validation names the problem.
 */
export function retrievalFormats(content: Buffer, contentType: string): RetrievalFormats | null {
  const steps = retrievalFormatsInSteps(content, contentType);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * `retrievalFormats` with a yield after each flag converted (checking every rule is one Ion s-expression is most of
 * the work: ~0.9 s of one task for 10,000 flags of three rules), for `retrievalFormatsSliced`.
 */
function* retrievalFormatsInSteps(
  content: Buffer,
  contentType: string,
): Generator<void, RetrievalFormats | null> {
  // Only a declared feature-flag profile or a document with a "version" key can be one: other documents (a
  // 10,000-flag flagd file) are not parsed here at all, which would hold the process for the parse.
  if (!FEATURE_FLAGS_TYPE.test(contentType) && !mayHoldVersionKey(content)) return null;
  let root: Json;
  try {
    root = JSON.parse(content.toString('utf8')) as Json;
  } catch {
    return null;
  }
  if (!isObject(root) || !isObject(root.flags) || (!isObject(root.values) && root.values !== undefined))
    return null;
  if (root.version === undefined && !FEATURE_FLAGS_TYPE.test(contentType)) return null;
  const values: JsonObject = isObject(root.values) ? root.values : {};
  const json: JsonObject = {};
  const ion: string[] = [];
  let multiVariant = false;
  if (!Object.keys(root.flags).every((key) => KEY.test(key))) return null;
  for (const key of Object.keys(root.flags)) {
    const value = values[key];
    const variants =
      isObject(value) && Array.isArray(value._variants) ? value._variants.filter(isObject) : null;
    if (variants !== null && !wellFormedVariants(variants)) return null;
    if (variants !== null && variants.length > 0) {
      multiVariant = true;
      const entries = variants.map(variantJson);
      json[key] = entries[entries.length - 1];
      const pairs = variants
        .slice(0, -1)
        .map((variant, i) => `[${String(variant.rule ?? 'false')}, ${ionString(entries[i])}]`);
      ion.push(`${ionSymbol(key)}::[${[...pairs, ionString(entries[entries.length - 1])].join(', ')}]`);
    } else {
      json[key] = basicJson(isObject(value) ? value : {});
      ion.push(`${ionSymbol(key)}::${ionString(json[key])}`);
    }
    yield;
  }
  return {
    json: Buffer.from(JSON.stringify(json)),
    ...(multiVariant ? { ion: Buffer.from(ion.join('\n') + '\n') } : {}),
  };
}

/** Converted work between two yields to the event loop. */
const SLICE_MS = 5;

/** `retrievalFormats` in slices of a few ms, so a process serving other requests (the embedded emulator) keeps answering. */
export async function retrievalFormatsSliced(
  content: Buffer,
  contentType: string,
): Promise<RetrievalFormats | null> {
  const steps = retrievalFormatsInSteps(content, contentType);
  let sliceStart = performance.now();
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) return step.value;
    if (performance.now() - sliceStart < SLICE_MS) continue;
    await new Promise((resolve) => setImmediate(resolve));
    sliceStart = performance.now();
  }
}

/** Whether a GetLatestConfiguration caller's Accept header asks for the Ion feature-flag format. */
export function acceptsFeatureFlagIon(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  return accept.split(',').some((range) => {
    const [type, ...parameters] = range.split(';').map((part) => part.trim().toLowerCase());
    if (type !== 'application/ion') return false;
    const q = parameters.find((parameter) => parameter.startsWith('q='));
    return (
      parameters.includes('type=aws.appconfig.featureflags') && (q === undefined || Number(q.slice(2)) > 0)
    );
  });
}

function wellFormedVariants(variants: JsonObject[]): boolean {
  return variants.every((variant, i) =>
    i === variants.length - 1
      ? variant.rule === undefined
      : typeof variant.rule === 'string' && isOneSexp(variant.rule),
  );
}

function isOneSexp(rule: string): boolean {
  try {
    const values = loadAll(rule);
    return values.length === 1 && values[0].getType().name === 'sexp';
  } catch {
    return false;
  }
}

function basicJson(value: JsonObject): JsonObject {
  if (value.enabled !== true) return { enabled: false };
  const flag: JsonObject = { enabled: true };
  for (const [name, attribute] of Object.entries(value))
    if (name !== 'enabled' && name !== '_variants' && !name.startsWith('_')) flag[name] = attribute;
  return flag;
}

function variantJson(variant: JsonObject): JsonObject {
  const enabled = variant.enabled === true;
  const entry: JsonObject = { _variant: variant.name ?? null, enabled };
  if (enabled && isObject(variant.attributeValues)) Object.assign(entry, variant.attributeValues);
  return entry;
}

// Ion long strings ('''…''') hold the JSON; a quote run or backslash is escaped.
function ionString(value: Json): string {
  return `'''${JSON.stringify(value).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'''`;
}

function ionSymbol(key: string): string {
  return `'${key.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
