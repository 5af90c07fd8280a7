import type { CompiledFlags, FlagDefinition, JsonObject } from '@flagfleet/flag-engine';

// One document per compiled snapshot, shared by every sync stream of this replica.
const documents = new WeakMap<CompiledFlags, string>();

/**
 * The flag document as flagd sends it to sync clients: `{"flags": {...}}` with `$evaluators` already
 * inlined into each targeting and the flag-set metadata merged into each flag's (the flag's own wins).
 * An AppConfig feature-flag profile arrives here parsed into the same model, so its in-process
 * evaluation gives what the service answers.
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

function flagdFlag(definition: FlagDefinition, setMetadata: CompiledFlags['metadata']): JsonObject {
  const metadata = { ...setMetadata, ...definition.metadata };
  return {
    state: definition.state,
    variants: definition.variants as JsonObject,
    ...(definition.defaultVariant === undefined ? {} : { defaultVariant: definition.defaultVariant }),
    ...(definition.targeting === undefined ? {} : { targeting: definition.targeting }),
    ...(Object.keys(metadata).length === 0 ? {} : { metadata }),
  };
}
