export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** A variant value: every variant of one flag has the same type. */
export type FlagValue = boolean | string | number | JsonObject | JsonValue[];
export type FlagValueType = 'boolean' | 'string' | 'number' | 'object';
export type FlagState = 'ENABLED' | 'DISABLED';
export type FlagMetadata = Readonly<Record<string, string | number | boolean>>;

/** An AppConfig attribute value: string, number, boolean, or an array of strings or of numbers. */
export type AttributeValue = string | number | boolean | readonly string[] | readonly number[];
export type FlagAttributes = Readonly<Record<string, AttributeValue>>;

/** What an AppConfig feature flag carries beyond a flagd flag: its kind and each variant's attribute values. */
export interface AppConfigFlagData {
  /** A multi-variant flag (answered with `_variant`), or a basic one (variants `on`/`off`). */
  readonly multiVariant: boolean;
  /** Attribute values by variant name, as written (answers carry them only when the variant is enabled). */
  readonly attributes: Readonly<Record<string, FlagAttributes>>;
}

/** A flag as declared in a document, after validation and `$ref` resolution (used for diffs and webhooks). */
export interface FlagDefinition {
  readonly key: string;
  readonly state: FlagState;
  readonly variants: Readonly<Record<string, FlagValue>>;
  readonly defaultVariant?: string;
  readonly targeting?: JsonObject;
  readonly metadata: FlagMetadata;
  readonly valueType: FlagValueType;
  /** Present for flags read from an AppConfig feature-flag profile. */
  readonly appConfig?: AppConfigFlagData;
}

/** The caller's evaluation context (OpenFeature). `targetingKey` is an ordinary property. */
export type EvaluationContext = Readonly<Record<string, unknown>>;
