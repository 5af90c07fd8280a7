/** OpenFeature / OFREP evaluation error codes. */
export const ErrorCode = {
  FLAG_NOT_FOUND: 'FLAG_NOT_FOUND',
  PARSE_ERROR: 'PARSE_ERROR',
  TYPE_MISMATCH: 'TYPE_MISMATCH',
  TARGETING_KEY_MISSING: 'TARGETING_KEY_MISSING',
  INVALID_CONTEXT: 'INVALID_CONTEXT',
  GENERAL: 'GENERAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
