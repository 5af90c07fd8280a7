import {
  answeredAttributes,
  type CompiledFlags,
  type FlagDefinition,
  type FlagMetadata,
  type JsonObject,
} from '@flagfleet/flag-engine';

// One document per compiled snapshot, shared by every sync stream of this replica.
const documents = new WeakMap<CompiledFlags, string>();

/**
 * The flag document as flagd sends it to sync clients: `{"flags": {...}}` with `$evaluators` already
 * inlined into each targeting and the flag-set metadata merged into each flag's (the flag's own wins).
 * An AppConfig feature-flag profile arrives here parsed into the same model: a basic flag becomes the
 * equivalent flagd flag (variants on/off, its answered attributes as metadata), so in-process providers
 * answer it as the service does. A multi-variant flag keeps the engine's targeting, whose `appconfig_*`
 * operators flagd's evaluators do not know, and carries no per-variant attributes (flagd metadata is per
 * flag): RPC mode answers those (docs/flagd.md).
 */
export function syncDocument(flags: CompiledFlags): string {
  let document = documents.get(flags);
  if (document === undefined) {
    const out: Record<string, JsonObject> = {};
    for (const key of flags.keys) {
      const definition = flags.definitions.get(key);
      if (definition !== undefined) out[key] = flagdFlag(definition, flags.metadata);
    }
    document = JSON.stringify({ flags: out });
    documents.set(flags, document);
  }
  return document;
}

function flagdFlag(definition: FlagDefinition, setMetadata: FlagMetadata): JsonObject {
  const metadata = { ...setMetadata, ...definition.metadata, ...staticAttributes(definition) };
  return {
    state: definition.state,
    variants: definition.variants as JsonObject,
    ...(definition.defaultVariant === undefined ? {} : { defaultVariant: definition.defaultVariant }),
    ...(definition.targeting === undefined ? {} : { targeting: definition.targeting }),
    ...(Object.keys(metadata).length === 0 ? {} : { metadata }),
  };
}

/** The primitive attributes a flag without targeting always answers (AppConfig basic flags); else none. */
function staticAttributes(definition: FlagDefinition): FlagMetadata {
  if (definition.targeting !== undefined) return {};
  const attributes: Record<string, string | number | boolean> = {};
  for (const [name, value] of Object.entries(answeredAttributes(definition, definition.defaultVariant)))
    if (!Array.isArray(value)) attributes[name] = value as string | number | boolean;
  return attributes;
}
