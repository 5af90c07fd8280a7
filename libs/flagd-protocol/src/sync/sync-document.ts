import {
  attributeMetadata,
  type CompiledFlags,
  type FlagDefinition,
  type FlagMetadata,
  type JsonObject,
} from '@flagfleet/flag-engine';
import { Code, ConnectError } from '@connectrpc/connect';
import { flagdTargeting, type FlagdTranslation } from './appconfig-targeting';

// One document per compiled snapshot, shared by every sync stream of this replica (or the refusal of it).
const documents = new WeakMap<CompiledFlags, string | ConnectError>();

/**
 * The flag document as flagd sends it to sync clients: `{"flags": {...}}` with `$evaluators` already
 * inlined into each targeting and the flag-set metadata merged into each flag's (the flag's own wins).
 * An AppConfig feature-flag profile arrives here parsed into the same model: a basic flag becomes the
 * equivalent flagd flag (variants on/off, its answered attributes as metadata); a multi-variant flag's rules
 * become standard flagd JSON Logic where that is exact (appconfig-targeting.ts), so in-process providers answer
 * it as the service does. Rules without an exact equivalent keep the engine's `appconfig_*` operators, and
 * attributes that differ between variants are left out (flagd metadata is per flag): RPC mode answers those
 * (docs/flagd.md).
 */
export function syncDocument(flags: CompiledFlags, maxBytes: number): string {
  let document = documents.get(flags);
  if (document === undefined) {
    document = buildDocument(flags, maxBytes);
    documents.set(flags, document);
  }
  if (document instanceof ConnectError) throw document;
  return document;
}

/**
 * Written flag by flag, and given up as soon as it is certainly over `maxBytes` (its characters alone, each at
 * least one UTF-8 byte): translated AppConfig rules can be many times their source (docs/flagd.md, "Numbers"),
 * and a document no client may receive is never built whole.
 */
function buildDocument(flags: CompiledFlags, maxBytes: number): string | ConnectError {
  const parts: string[] = [];
  let chars = '{"flags":{}}'.length;
  for (const key of flags.keys) {
    const definition = flags.definitions.get(key);
    if (definition === undefined) continue;
    const part = `${JSON.stringify(key)}:${JSON.stringify(flagdFlag(definition, flags.metadata))}`;
    chars += part.length + (parts.length > 0 ? 1 : 0);
    if (chars > maxBytes)
      return new ConnectError(
        `message size over ${maxBytes} bytes: the flag document is larger than configured writeMaxBytes ${maxBytes} (FLAGD_MAX_MESSAGE_BYTES)`,
        Code.ResourceExhausted,
      );
    parts.push(part);
  }
  return `{"flags":{${parts.join(',')}}}`;
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

/** An AppConfig multi-variant flag's rules in flagd JSON Logic; undefined for every other flag. */
function appConfigTranslation(definition: FlagDefinition): FlagdTranslation | undefined {
  return definition.targeting !== undefined && definition.appConfig?.multiVariant === true
    ? flagdTargeting(definition.targeting)
    : undefined;
}

/** A flag in-process providers cannot evaluate (they answer it with an error: the code default), and why. */
export interface InProcessGap {
  readonly flag: string;
  readonly reason: string;
}

/** Which of `keys` (default: all) keep the engine's `appconfig_*` operators in the sync document. */
export function inProcessGaps(flags: CompiledFlags, keys: Iterable<string> = flags.keys): InProcessGap[] {
  const gaps: InProcessGap[] = [];
  for (const key of keys) {
    const definition = flags.definitions.get(key);
    const translation = definition === undefined ? undefined : appConfigTranslation(definition);
    if (translation?.ok === false) gaps.push({ flag: key, reason: translation.reason });
  }
  return gaps;
}
