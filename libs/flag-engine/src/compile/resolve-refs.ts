import type { JsonObject, JsonValue } from '../model';
import { EVALUATOR_CALL } from '../operators';

export interface ResolvedTargeting {
  /** The targeting with each `$ref` replaced by the evaluator itself (the same object every time: shared, not copied). */
  readonly rule: JsonObject;
  /** The targeting with each resolved `$ref` replaced by `{"flagfleet:evaluator": name}`: what is compiled. */
  readonly calling: JsonObject;
  /** The `$evaluators` names referenced and found, each once. */
  readonly refs: readonly string[];
  /** `$ref` names with no `$evaluators` entry. */
  readonly missing: readonly string[];
}

/**
 * Finds every `{"$ref": "name"}` of a targeting, as flagd resolves it (one level: refs inside an evaluator are
 * not followed, so cycles cannot occur). The work is linear in the targeting's own size: an evaluator is never
 * copied nor walked here, however often it is referenced.
 */
export function resolveRefs(
  targeting: JsonObject,
  evaluators: Readonly<Record<string, JsonValue>>,
): ResolvedTargeting {
  const missing: string[] = [];
  const refs = new Set<string>();
  // Copy on write: a part with no `$ref` is returned as it is (both forms the same object), so a rule without
  // refs, such as a list of 200,000 ids, is walked but not copied.
  const replace = (node: JsonValue): [JsonValue, JsonValue] => {
    if (node === null || typeof node !== 'object') return [node, node];
    if (Array.isArray(node)) {
      let rule: JsonValue[] | null = null;
      let calling: JsonValue[] | null = null;
      for (let i = 0; i < node.length; i++) {
        const item = node[i];
        if (item === null || typeof item !== 'object') {
          if (rule !== null && calling !== null) {
            rule.push(item);
            calling.push(item);
          }
          continue;
        }
        const [itemRule, itemCalling] = replace(item);
        if (rule === null || calling === null) {
          if (itemRule === item && itemCalling === item) continue;
          rule = node.slice(0, i);
          calling = node.slice(0, i);
        }
        rule.push(itemRule);
        calling.push(itemCalling);
      }
      return rule === null || calling === null ? [node, node] : [rule, calling];
    }
    const keys = Object.keys(node);
    if (keys.length === 1 && keys[0] === '$ref' && typeof node.$ref === 'string') {
      const name = node.$ref;
      if (Object.hasOwn(evaluators, name)) {
        refs.add(name);
        return [evaluators[name], { [EVALUATOR_CALL]: name }];
      }
      missing.push(name);
      return [node, node];
    }
    let rule: JsonObject | null = null;
    let calling: JsonObject | null = null;
    for (const key of keys) {
      const [keyRule, keyCalling] = replace(node[key]);
      if (rule === null || calling === null) {
        if (keyRule === node[key] && keyCalling === node[key]) continue;
        // Own properties, as JSON.parse made them: a "__proto__" key stays a key.
        rule = copyUntil(node, keys, key);
        calling = copyUntil(node, keys, key);
      }
      defineMember(rule, key, keyRule);
      defineMember(calling, key, keyCalling);
    }
    return rule === null || calling === null ? [node, node] : [rule, calling];
  };
  const [rule, calling] = replace(targeting) as [JsonObject, JsonObject];
  return { rule, calling, refs: [...refs], missing };
}

/** A copy of `node`'s members before `stop`, in their order. */
function copyUntil(node: JsonObject, keys: readonly string[], stop: string): JsonObject {
  const copy: JsonObject = {};
  for (const key of keys) {
    if (key === stop) break;
    defineMember(copy, key, node[key]);
  }
  return copy;
}

function defineMember(object: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__')
    Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  else object[key] = value;
}
