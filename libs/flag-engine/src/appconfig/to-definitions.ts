import type { FlagDefinition, FlagMetadata, JsonValue } from '../model';
import type { AppConfigFlag, FlagAttributes } from './model';

/**
 * AppConfig flags as the engine's flag definitions, so one evaluation model serves every endpoint:
 * - a basic flag: variants `on` (true) / `off` (false), the default `enabled ? on : off`, no targeting (STATIC);
 * - a multi-variant flag: one boolean variant per AppConfig variant (its `enabled`), the default variant last, and
 *   targeting `{"if": [rule1, "name1", rule2, "name2", …, null]}`: the first rule that is true wins
 *   (TARGETING_MATCH), none gives the default variant (DEFAULT).
 * Primitive attributes of the chosen, enabled variant become the result's metadata; every attribute is kept in
 * `appConfig.attributes` for the agent-compatible answer.
 */
export function toFlagDefinitions(flags: readonly AppConfigFlag[]): FlagDefinition[] {
  return flags.map((flag) =>
    flag.variants === undefined ? basicDefinition(flag) : multiVariantDefinition(flag),
  );
}

const NO_METADATA: FlagMetadata = {};

function basicDefinition(flag: AppConfigFlag): FlagDefinition {
  const enabled = flag.basic?.enabled === true;
  const attributes: FlagAttributes = flag.basic?.attributes ?? {};
  return {
    key: flag.key,
    state: 'ENABLED',
    variants: { on: true, off: false },
    defaultVariant: enabled ? 'on' : 'off',
    metadata: NO_METADATA,
    valueType: 'boolean',
    appConfig: { multiVariant: false, attributes: { on: attributes, off: attributes } },
  };
}

function multiVariantDefinition(flag: AppConfigFlag): FlagDefinition {
  const variants = flag.variants ?? [];
  const values: Record<string, boolean> = {};
  const attributes: Record<string, FlagAttributes> = {};
  const branches: JsonValue[] = [];
  for (const variant of variants) {
    values[variant.name] = variant.enabled;
    attributes[variant.name] = variant.attributes;
    if (variant.condition !== undefined) branches.push(variant.condition, variant.name);
  }
  const definition: FlagDefinition = {
    key: flag.key,
    state: 'ENABLED',
    variants: values,
    defaultVariant: variants[variants.length - 1]?.name,
    metadata: NO_METADATA,
    valueType: 'boolean',
    appConfig: { multiVariant: true, attributes },
  };
  return branches.length === 0 ? definition : { ...definition, targeting: { if: [...branches, null] } };
}
