import type { FlagDefinition, FlagMetadata, JsonValue } from '../model';
import type { AttributeValue, FlagAttributes } from './model';

/** AppConfig's attribute value types: string, number, boolean, or an array of strings or of numbers. */
export function isAttributeValue(value: JsonValue): value is JsonValue & AttributeValue {
  if (typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (!Array.isArray(value)) return false;
  return (
    value.every((item) => typeof item === 'string') ||
    value.every((item) => typeof item === 'number' && Number.isFinite(item))
  );
}

const EMPTY: FlagAttributes = Object.freeze({});

/**
 * The attributes an answer carries for `variant` of an AppConfig flag: all of them (arrays included) when the
 * variant is enabled, none when it is disabled (the agent omits them then). Empty for flagd flags.
 */
export function answeredAttributes(definition: FlagDefinition, variant: string | undefined): FlagAttributes {
  if (definition.appConfig === undefined || variant === undefined || definition.variants[variant] !== true)
    return EMPTY;
  return definition.appConfig.attributes[variant] ?? EMPTY;
}

/** The primitive attributes of `answeredAttributes`: what OFREP and the other protocols carry as metadata. */
export function attributeMetadata(definition: FlagDefinition, variant: string | undefined): FlagMetadata {
  const metadata: Record<string, string | number | boolean> = {};
  for (const [name, value] of Object.entries(answeredAttributes(definition, variant)))
    if (!Array.isArray(value)) metadata[name] = value as string | number | boolean;
  return metadata;
}
