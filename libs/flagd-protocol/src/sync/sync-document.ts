import {
  attributeMetadata,
  drainSteps,
  flagdTargeting,
  runInSlices,
  type CompiledFlags,
  type FlagDefinition,
  type FlagdTranslation,
  type FlagMetadata,
  type JsonObject,
  type Steps,
} from '@flagfleet/flag-engine';
import { Code, ConnectError } from '@connectrpc/connect';
import { SharedEvaluators } from './shared-evaluators';

// One document per compiled snapshot, shared by every sync stream of this replica (or the refusal of it).
const documents = new WeakMap<CompiledFlags, string | ConnectError>();
// A document being built in slices, awaited by every stream that asks meanwhile.
const building = new WeakMap<CompiledFlags, Promise<string | ConnectError>>();

/**
 * The flag document as flagd sends it to sync clients: `{"flags": {...}}` with the flag-set metadata merged into each
 * flag's (the flag's own wins), and the `$evaluators` that targetings reference with `$ref`, which clients expand
 * (shared-evaluators.ts). An AppConfig feature-flag profile arrives here parsed into the same model: a basic flag
 * becomes the equivalent flagd flag (variants on/off, its answered attributes as metadata); a multi-variant flag's
 * rules become standard flagd JSON Logic where that is exact (each operator's descriptor in flag-engine), so
 * in-process providers answer it as the service does. Rules without an exact equivalent keep the engine's
 * `appconfig_*` operators, and attributes that differ between variants are left out (flagd metadata is per flag):
 * RPC mode answers those (docs/flagd.md).
 */
export function syncDocument(flags: CompiledFlags, maxBytes: number): string {
  let document = documents.get(flags);
  if (document === undefined) {
    document = drainSteps(buildDocument(flags, maxBytes));
    documents.set(flags, document);
  }
  if (document instanceof ConnectError) throw document;
  return document;
}

/**
 * `syncDocument` built in slices (a yield after each flag), as the sync streams ask for it on every deploy: written
 * at once, the document of 10,000 flags held the event loop 550-600 ms.
 */
export async function syncDocumentSliced(flags: CompiledFlags, maxBytes: number): Promise<string> {
  let document = documents.get(flags);
  if (document === undefined) {
    let pending = building.get(flags);
    if (pending === undefined) {
      pending = runInSlices(buildDocument(flags, maxBytes)).then((built) => {
        documents.set(flags, built);
        building.delete(flags);
        return built;
      });
      building.set(flags, pending);
    }
    document = await pending;
  }
  if (document instanceof ConnectError) throw document;
  return document;
}

/**
 * Written flag by flag, and given up as soon as it is certainly over `maxBytes` (its characters alone, each at
 * least one UTF-8 byte): translated AppConfig rules can be many times their source (docs/flagd.md, "Numbers"),
 * and a document no client may receive is never built whole. A `$ref` counts as the evaluator a client expands it
 * to, so what a client holds is bounded too, and the count is made before any text is joined.
 */
function* buildDocument(flags: CompiledFlags, maxBytes: number): Steps<string | ConnectError> {
  const shared = SharedEvaluators.of(flags);
  const parts: string[] = [];
  const sent = new Set<string>();
  const section: string[] = [];
  let chars = '{"flags":{}}'.length;
  let refs = false;
  const tooLarge = (): ConnectError =>
    new ConnectError(
      `message size over ${maxBytes} bytes: the flag document is larger than configured writeMaxBytes ${maxBytes} (FLAGD_MAX_MESSAGE_BYTES)` +
        (refs ? ', counting each $ref as the evaluator a client expands it to' : ''),
      Code.ResourceExhausted,
    );
  for (const key of flags.keys) {
    const definition = flags.definitions.get(key);
    if (definition === undefined) continue;
    const flag = flagdFlag(definition, flags.metadata);
    const written = shared === null ? undefined : flags.writtenTargeting(key);
    const separator = parts.length > 0 ? 1 : 0;
    if (shared === null || written === undefined || appConfigTranslation(definition) !== undefined) {
      const part = `${JSON.stringify(key)}:${JSON.stringify(flag)}`;
      chars += part.length + separator;
      if (chars > maxBytes) return tooLarge();
      parts.push(part);
      yield;
      continue;
    }
    // The flag's fields as JSON.stringify writes them, with the targeting as written in their place.
    const names = Object.keys(flag);
    const at = names.indexOf('targeting');
    const fields = names.map((name, i) =>
      i === at ? '' : `${JSON.stringify(name)}:${JSON.stringify(flag[name])}`,
    );
    const head = `${JSON.stringify(key)}:{${[...fields.slice(0, at), '"targeting":'].join(',')}`;
    const tail = `${fields
      .slice(at + 1)
      .map((field) => `,${field}`)
      .join('')}}`;
    const targeting = shared.write(written, maxBytes - chars - separator - head.length - tail.length);
    refs ||= targeting.refs.length > 0;
    if (!targeting.fits) return tooLarge();
    chars += separator + head.length + targeting.expandedChars + tail.length;
    for (const name of targeting.refs) {
      if (!shared.isSent(name) || sent.has(name)) continue;
      sent.add(name);
      const entry = `${JSON.stringify(name)}:${shared.text(name)}`;
      chars += entry.length + (section.length > 0 ? 1 : ',"$evaluators":{}'.length);
      section.push(entry);
    }
    if (chars > maxBytes) return tooLarge();
    parts.push(`${head}${targeting.pieces.join('')}${tail}`);
    yield;
  }
  const evaluators = section.length > 0 ? `,"$evaluators":{${section.join(',')}}` : '';
  return `{"flags":{${parts.join(',')}}${evaluators}}`;
}

function flagdFlag(definition: FlagDefinition, setMetadata: FlagMetadata): JsonObject {
  const metadata = { ...setMetadata, ...definition.metadata, ...staticAttributes(definition) };
  const translation = appConfigTranslation(definition);
  const targeting = translation?.ok === true ? translation.targeting : definition.targeting;
  return {
    state: definition.state,
    variants: definition.variants as JsonObject,
    ...(definition.defaultVariant === undefined ? {} : { defaultVariant: definition.defaultVariant }),
    ...(targeting === undefined ? {} : { targeting }),
    ...(Object.keys(metadata).length === 0 ? {} : { metadata }),
  };
}

/**
 * The primitive attributes every answer of the flag carries: a basic flag's; a multi-variant flag's when all its
 * variants answer the same ones (a disabled variant answers none); else none.
 */
function staticAttributes(definition: FlagDefinition): FlagMetadata {
  if (definition.targeting === undefined) return attributeMetadata(definition, definition.defaultVariant);
  const answers = Object.keys(definition.variants).map((variant) => attributeMetadata(definition, variant));
  const first = JSON.stringify(answers[0] ?? {});
  return answers.every((answer) => JSON.stringify(answer) === first) ? (answers[0] ?? {}) : {};
}

// Compiled definitions never change (they are frozen) and a flag that did not change keeps its definition object
// in the next snapshot: each one is translated once, by the deploy's gap check or by the first sync document.
const translations = new WeakMap<FlagDefinition, FlagdTranslation>();

/** An AppConfig multi-variant flag's rules in flagd JSON Logic; undefined for every other flag. */
function appConfigTranslation(definition: FlagDefinition): FlagdTranslation | undefined {
  if (definition.targeting === undefined || definition.appConfig?.multiVariant !== true) return undefined;
  let translation = translations.get(definition);
  if (translation === undefined) {
    translation = flagdTargeting(definition.targeting);
    translations.set(definition, translation);
  }
  return translation;
}

/** A flag in-process providers cannot evaluate (they answer it with an error: the code default), and why. */
export interface InProcessGap {
  readonly flag: string;
  readonly reason: string;
}

/** Which of `keys` (default: all) keep the engine's `appconfig_*` operators in the sync document. */
export function inProcessGaps(flags: CompiledFlags, keys: Iterable<string> = flags.keys): InProcessGap[] {
  return drainSteps(inProcessGapsInSteps(flags, keys));
}

/**
 * `inProcessGaps` in steps (a yield after each flag), for `runInSlices`: translating the rules of 10,000 changed
 * multi-variant flags held the event loop for 130-240 ms on every deploy.
 */
export function* inProcessGapsInSteps(
  flags: CompiledFlags,
  keys: Iterable<string> = flags.keys,
): Steps<InProcessGap[]> {
  const gaps: InProcessGap[] = [];
  for (const key of keys) {
    const definition = flags.definitions.get(key);
    const translation = definition === undefined ? undefined : appConfigTranslation(definition);
    if (translation?.ok === false) gaps.push({ flag: key, reason: translation.reason });
    yield;
  }
  return gaps;
}
