export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** A variant value: every variant of one flag has the same type. */
export type FlagValue = boolean | string | number | JsonObject | JsonValue[];
export type FlagValueType = 'boolean' | 'string' | 'number' | 'object';
export type FlagState = 'ENABLED' | 'DISABLED';
export type FlagMetadata = Readonly<Record<string, string | number | boolean>>;

/** A flag as declared in a document, after validation and `$ref` resolution (used for diffs and webhooks). */
export interface FlagDefinition {
  readonly key: string;
  readonly state: FlagState;
  readonly variants: Readonly<Record<string, FlagValue>>;
  readonly defaultVariant?: string;
  readonly targeting?: JsonObject;
  readonly metadata: FlagMetadata;
  readonly valueType: FlagValueType;
}

/** The caller's evaluation context (OpenFeature). `targetingKey` is an ordinary property. */
export type EvaluationContext = Readonly<Record<string, unknown>>;
