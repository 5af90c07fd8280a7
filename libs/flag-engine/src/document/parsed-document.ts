import type { FlagDefinition, FlagMetadata, JsonValue } from '../model';

export type DocumentFormat = 'flagd' | 'appconfig-feature-flags';

/** A validated document before targeting is resolved and compiled. */
export interface ParsedDocument {
  readonly format: DocumentFormat;
  /** `targeting` here is as written (with `$ref`s unresolved). */
  readonly flags: readonly FlagDefinition[];
  readonly evaluators: Readonly<Record<string, JsonValue>>;
  readonly metadata: FlagMetadata;
}
