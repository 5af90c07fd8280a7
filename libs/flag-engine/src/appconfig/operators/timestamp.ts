import type { AppConfigOperatorDescriptor } from './descriptor';
import { NO } from '../flagd/truth';
import { parseW3cTimestamp } from '../rules/w3c-timestamp';

export const APPCONFIG_TIMESTAMP = 'appconfig_timestamp';

/**
 * Reads a context value as a W3C timestamp (Unix milliseconds) where a rule compares it with a timestamp
 * literal; null when it is not provided or is not one (the comparison is then unknown).
 *
 * @example (gt $signedUp 2024-01-01T00:00Z) with signedUp "2024-06-01T12:00:00Z" → true
 */
export function appconfigTimestamp(args: unknown): number | null {
  const value: unknown = Array.isArray(args) ? args[0] : args;
  return typeof value === 'string' ? parseW3cTimestamp(value.trim()) : null;
}

const NO_DATES = 'a timestamp comparison: flagd has no date operator';

export const timestamp: AppConfigOperatorDescriptor = {
  ruleName: 'timestamp',
  operands: 'internal',
  name: APPCONFIG_TIMESTAMP,
  evaluate: appconfigTimestamp,
  deterministic: true,
  flagd: () => NO(NO_DATES),
  flagdOperand: NO_DATES,
};
