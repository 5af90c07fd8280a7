import { asText } from './operands';

export const APPCONFIG_MATCHES = 'appconfig_matches';

/** Patterns are constants of a document; beyond this many distinct ones, regexes are compiled per call. */
const MAX_CACHED_PATTERNS = 1024;
const patterns = new Map<string, RegExp | null>();

/** The compiled pattern (JavaScript regular expression syntax), or null when it does not compile. */
export function compilePattern(pattern: string): RegExp | null {
  let regex = patterns.get(pattern);
  if (regex === undefined) {
    try {
      regex = new RegExp(pattern, 'u');
    } catch {
      regex = null;
    }
    if (patterns.size < MAX_CACHED_PATTERNS) patterns.set(pattern, regex);
  }
  return regex;
}

/**
 * `(matches in::$greeting pattern::"h.*y")`: the value contains a match of the pattern (unanchored, as a
 * search). Null (unknown) when the value is not provided; false when it is not text.
 *
 * @example (matches in::$greeting pattern::"h.*y") with greeting "oh, happy day" → true
 */
export function appconfigMatches(args: unknown): boolean | null {
  if (!Array.isArray(args) || args.length !== 2) return null;
  const value: unknown = args[0];
  const pattern: unknown = args[1];
  if (value === null || value === undefined || typeof pattern !== 'string') return null;
  const text = typeof value === 'string' ? value : asText(value);
  const regex = compilePattern(pattern);
  return text !== null && regex !== null && regex.test(text);
}
