import { splitPath } from 'json-logic-engine';
import type { JsonValue } from '../model';
import { PROTOTYPE_KEYS } from '../prototype-keys';

/** JSON Logic's data access operators. */
export const DATA_ACCESSORS: ReadonlySet<string> = new Set(['var', 'val', 'get']);

/**
 * Data access (`var`, `val`, `get`) through a prototype key would read Object.prototype or a constructor;
 * such accesses are replaced with null at compile time, so they behave as a missing key.
 */
export function guardRule(node: JsonValue): JsonValue {
  if (Array.isArray(node)) return node.map(guardRule);
  if (node === null || typeof node !== 'object') return node;
  const keys = Object.keys(node);
  if (keys.length === 1 && DATA_ACCESSORS.has(keys[0]) && reachesPrototype(node[keys[0]])) return null;
  const copy: { [key: string]: JsonValue } = {};
  for (const key of keys) copy[key] = guardRule(node[key]);
  return copy;
}

function reachesPrototype(args: JsonValue): boolean {
  if (typeof args === 'string') return splitPath(args).some((part: string) => PROTOTYPE_KEYS.has(part));
  // A string argument is split as a path too, which also catches a bare prototype key.
  if (Array.isArray(args))
    return args.some((arg) => (typeof arg === 'string' || Array.isArray(arg)) && reachesPrototype(arg));
  return false;
}
