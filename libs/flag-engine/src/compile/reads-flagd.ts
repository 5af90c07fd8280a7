import type { JsonValue } from '../model';
import { FRACTIONAL } from '../operators';
import { DATA_ACCESSORS } from './guard-rule';

/**
 * Whether a rule may see `$flagd` (or the whole context): it names `$flagd`, uses `fractional` (which reads
 * `$flagd.flagKey`), or accesses data through a computed, empty or relative path. Rules that cannot may run on
 * the caller's context itself, saving the copy into which `$flagd` is injected. Conservative: when unsure, true.
 */
export function readsFlagd(node: JsonValue): boolean {
  if (typeof node === 'string') return node.includes('$flagd');
  if (Array.isArray(node)) return node.some(readsFlagd);
  if (node === null || typeof node !== 'object') return false;
  for (const [operator, args] of Object.entries(node)) {
    if (operator === FRACTIONAL || operator.includes('$flagd')) return true;
    if (DATA_ACCESSORS.has(operator) && !hasLiteralPath(args)) return true;
    if (readsFlagd(args)) return true;
  }
  return false;
}

function hasLiteralPath(args: JsonValue): boolean {
  const path = Array.isArray(args) ? args[0] : args;
  if (typeof path === 'number') return true;
  return typeof path === 'string' && path !== '' && !path.startsWith('../');
}
