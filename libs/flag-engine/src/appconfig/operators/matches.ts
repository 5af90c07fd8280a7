import type { AppConfigOperatorDescriptor } from './descriptor';
import { NO } from '../flagd/truth';
import { RE2JS } from 're2js';
import { asText } from './operands';

export const APPCONFIG_MATCHES = 'appconfig_matches';

/** Patterns are constants of a document; beyond this many distinct ones, patterns are compiled per call. */
const MAX_CACHED_PATTERNS = 1024;
const patterns = new Map<string, RE2JS | string>();

/**
 * The compiled pattern, or why it cannot run. Patterns run on RE2 (re2js, pure JavaScript): time linear in the
 * text whatever the pattern, so no caller's value can stall the process (a backtracking engine takes seconds for
 * `^(a+)+$` and 32 characters). RE2 has no backreferences or lookaround; such patterns are refused at load.
 */
export function compilePattern(pattern: string): RE2JS | string {
  let compiled = patterns.get(pattern);
  if (compiled === undefined) {
    try {
      compiled = RE2JS.compile(pattern);
    } catch (error) {
      compiled = error instanceof Error ? error.message : String(error);
    }
    if (patterns.size < MAX_CACHED_PATTERNS) patterns.set(pattern, compiled);
  }
  return compiled;
}

/** Why a pattern is refused at load (a document problem), or null when it runs. */
export function patternProblem(pattern: string): string | null {
  const compiled = compilePattern(pattern);
  if (typeof compiled !== 'string') return null;
  return `${JSON.stringify(pattern)} is not a valid regular expression in RE2 syntax (linear time: no backreferences or lookaround): ${compiled}`;
}

/**
 * `(matches in::$greeting pattern::"h.*y")`: the value contains a match of the pattern (unanchored, as a
 * search; RE2 syntax). Null (unknown) when the value is not provided; false when it is not text.
 *
 * @example (matches in::$greeting pattern::"h.*y") with greeting "oh, happy day" → true
 */
export function appconfigMatches(args: unknown): boolean | null {
  if (!Array.isArray(args) || args.length !== 2) return null;
  const value: unknown = args[0];
  const pattern: unknown = args[1];
  if (value === null || value === undefined || typeof pattern !== 'string') return null;
  const text = typeof value === 'string' ? value : asText(value);
  if (text === null) return false;
  const compiled = compilePattern(pattern);
  return typeof compiled !== 'string' && compiled.test(text);
}

export const matches: AppConfigOperatorDescriptor = {
  ruleName: 'matches',
  operands: 'matches',
  name: APPCONFIG_MATCHES,
  evaluate: appconfigMatches,
  deterministic: true,
  flagd: () => NO('`matches`: flagd has no regular-expression operator'),
};
