/**
 * Coded validation problems of flag documents; every code is listed in docs/errors.md.
 * Problems are data: compileFlagDocument never throws.
 */
export const DocumentProblemCode = {
  /** The content is larger than the document size limit (checked before parsing). */
  TOO_LARGE: 'FLAGFLEET_DOCUMENT_TOO_LARGE',
  /** The JSON nests deeper than the document depth limit (checked before parsing). */
  TOO_DEEP: 'FLAGFLEET_DOCUMENT_TOO_DEEP',
  /** The content is not UTF-8 JSON. */
  NOT_JSON: 'FLAGFLEET_DOCUMENT_NOT_JSON',
  /** The document is not a JSON object, or lacks a valid `flags` object/array. */
  NO_FLAGS: 'FLAGFLEET_DOCUMENT_NO_FLAGS',
  /** A document part (`$evaluators`, `metadata`) or a flag is not of the expected shape. */
  INVALID_SHAPE: 'FLAGFLEET_DOCUMENT_INVALID_SHAPE',
  /** A `__proto__` key anywhere in the document (it could pollute prototypes of consumers that copy it). */
  RESERVED_KEY: 'FLAGFLEET_DOCUMENT_RESERVED_KEY',
  /** Two flags share a key (array form of `flags`), or a flag key is empty. */
  INVALID_FLAG_KEY: 'FLAGFLEET_FLAG_INVALID_KEY',
  /** `state` is not ENABLED or DISABLED. */
  UNKNOWN_STATE: 'FLAGFLEET_FLAG_UNKNOWN_STATE',
  /** `variants` is missing, not an object, or empty. */
  NO_VARIANTS: 'FLAGFLEET_FLAG_NO_VARIANTS',
  /** Variants of one flag have different types (or a type that is not boolean, string, number or object). */
  MIXED_VARIANT_TYPES: 'FLAGFLEET_FLAG_MIXED_VARIANT_TYPES',
  /** `defaultVariant` names no variant of the flag. */
  UNKNOWN_DEFAULT_VARIANT: 'FLAGFLEET_FLAG_UNKNOWN_DEFAULT_VARIANT',
  /** Metadata values must be strings, numbers or booleans. */
  INVALID_METADATA: 'FLAGFLEET_FLAG_INVALID_METADATA',
  /** `targeting` is not an object (error). */
  INVALID_TARGETING: 'FLAGFLEET_TARGETING_INVALID',
  /** `{"$ref": name}` names no `$evaluators` entry: the flag loads and evaluates to PARSE_ERROR (warning). */
  UNKNOWN_REF: 'FLAGFLEET_TARGETING_UNKNOWN_REF',
  /** Targeting does not compile (unknown operator, malformed rule): the flag evaluates to PARSE_ERROR (warning). */
  TARGETING_NOT_COMPILABLE: 'FLAGFLEET_TARGETING_NOT_COMPILABLE',
  /** Targeting whose result can grow without bound (a `reduce` step using its accumulator twice in a `merge`/`cat`) (error). */
  UNBOUNDED_TARGETING: 'FLAGFLEET_TARGETING_UNBOUNDED',
  /** A flagd rule (a flag's targeting, an `$evaluators` entry) with more than MAX_RULE_OPERATORS operators (error). */
  TARGETING_TOO_LARGE: 'FLAGFLEET_TARGETING_TOO_LARGE',
  /** A rule's literal result (an `if` branch, a `fractional` bucket) names no variant of the flag (warning). */
  UNKNOWN_RESULT_VARIANT: 'FLAGFLEET_TARGETING_UNKNOWN_VARIANT',
  /** An AppConfig feature-flag attribute that is not an AppConfig attribute value (an object, a mixed array) is left out (warning). */
  ATTRIBUTE_IGNORED: 'FLAGFLEET_APPCONFIG_ATTRIBUTE_IGNORED',
  /** An AppConfig feature-flag document is not of the format's shape: `version` not "1", an unknown field, a wrong type. */
  APPCONFIG_INVALID_SHAPE: 'FLAGFLEET_APPCONFIG_INVALID_SHAPE',
  /** A flag or attribute key does not match `^[a-z][a-zA-Z\d_-]{0,63}$`, a value names no defined flag, or a key repeats. */
  APPCONFIG_INVALID_KEY: 'FLAGFLEET_APPCONFIG_INVALID_KEY',
  /** An attribute value breaks its declared constraints, is not declared, is missing though required, or its constraints are malformed. */
  APPCONFIG_ATTRIBUTE_CONSTRAINT: 'FLAGFLEET_APPCONFIG_ATTRIBUTE_CONSTRAINT',
  /** Variants break AppConfig's rules: more than 32, a name missing or repeated, the default not last or with a rule, another without a rule. */
  APPCONFIG_INVALID_VARIANT: 'FLAGFLEET_APPCONFIG_INVALID_VARIANT',
  /** A variant rule does not parse as an s-expression; the message names the variant and the position. */
  APPCONFIG_RULE_SYNTAX: 'FLAGFLEET_APPCONFIG_RULE_SYNTAX',
  /** A variant rule parses but does not fit the rule language: unknown operator, wrong operands, bad regex or pct. */
  APPCONFIG_RULE_INVALID: 'FLAGFLEET_APPCONFIG_RULE_INVALID',
  /** Content declared or detected as Amazon Ion (the retrieval format of multi-variant flags) does not parse as Ion. */
  NOT_ION: 'FLAGFLEET_DOCUMENT_NOT_ION',
} as const;
export type DocumentProblemCode = (typeof DocumentProblemCode)[keyof typeof DocumentProblemCode];

export interface DocumentProblem {
  readonly flagKey?: string;
  /** JSON Pointer into the document (`/flags/my-flag/defaultVariant`). */
  readonly path: string;
  readonly message: string;
  readonly severity: 'error' | 'warning';
  readonly code: DocumentProblemCode;
}

/** One line per problem: `flag "k" at /flags/k/state: message [CODE]`. */
export function formatProblem(problem: DocumentProblem): string {
  const where =
    problem.flagKey === undefined
      ? `at ${problem.path || '/'}`
      : `flag "${problem.flagKey}" at ${problem.path}`;
  return `${where}: ${problem.message} [${problem.code}]`;
}
