import type { JsonObject, JsonValue } from '../model';

export interface ResolvedTargeting {
  readonly rule: JsonObject;
  /** `$ref` names with no `$evaluators` entry. */
  readonly missing: readonly string[];
}

/**
 * Replaces every `{"$ref": "name"}` with the named `$evaluators` rule, as flagd does (one level: refs
 * inside an evaluator are not followed, so cycles cannot occur).
 */
export function resolveRefs(
  targeting: JsonObject,
  evaluators: Readonly<Record<string, JsonValue>>,
): ResolvedTargeting {
  const missing: string[] = [];
  const replace = (node: JsonValue): JsonValue => {
    if (Array.isArray(node)) return node.map(replace);
    if (node === null || typeof node !== 'object') return node;
    const keys = Object.keys(node);
    if (keys.length === 1 && keys[0] === '$ref' && typeof node.$ref === 'string') {
      if (Object.hasOwn(evaluators, node.$ref)) return evaluators[node.$ref];
      missing.push(node.$ref);
      return node;
    }
    const copy: JsonObject = {};
    for (const key of keys) copy[key] = replace(node[key]);
    return copy;
  };
  return { rule: replace(targeting) as JsonObject, missing };
}
