import { splitPath } from 'json-logic-engine';
import { PROTOTYPE_KEYS } from '../../prototype-keys';
import type { AppConfigOperatorDescriptor, RuleClosure } from './descriptor';

export type { RuleClosure } from './descriptor';

/**
 * Compiles a JSON Logic subtree made of AppConfig operators, `var`, `preserve` and literals into direct
 * closures: one call per variant rule from the compiled JSON Logic, no generic dispatch or argument arrays per
 * operator; an operator's own `closure` (the short-circuits of `and`/`or`, split's prepared hash) where its
 * descriptor has one. Null when the subtree
 * holds anything else: json-logic-engine then compiles it as usual.
 */
export function compileClosure(
  node: unknown,
  operators: ReadonlyMap<string, AppConfigOperatorDescriptor>,
): RuleClosure | null {
  if (node === null || typeof node !== 'object') return () => node;
  if (Array.isArray(node)) return null;
  const keys = Object.keys(node);
  if (keys.length !== 1) return null;
  const name = keys[0];
  const args: unknown = (node as Record<string, unknown>)[name];
  if (name === 'var') return contextRead(args);
  if (name === 'preserve') return () => args;
  const operator = operators.get(name);
  if (operator === undefined || !Array.isArray(args)) return null;
  const parts: RuleClosure[] = [];
  for (const arg of args) {
    const part = compileClosure(arg, operators);
    if (part === null) return null;
    parts.push(part);
  }
  if (operator.closure !== undefined) return operator.closure(parts, args);
  const { evaluate } = operator;
  // One argument buffer per operator node: evaluation is synchronous and operators do not keep it.
  const values: unknown[] = new Array(parts.length);
  return (context) => {
    for (let i = 0; i < parts.length; i++) values[i] = parts[i](context);
    return evaluate(values, context);
  };
}

/** `{"var": path}` as json-logic-engine reads it, own properties only; a prototype key reads as missing. */
function contextRead(args: unknown): RuleClosure | null {
  const path = Array.isArray(args) ? args[0] : args;
  if (typeof path !== 'string' || (Array.isArray(args) && args.length > 1)) return null;
  const parts: string[] = splitPath(path);
  if (parts.length === 0 || parts.some((part) => part === '' || PROTOTYPE_KEYS.has(part))) return null;
  if (parts.length === 1) {
    const key = parts[0];
    return (context) =>
      context !== null && typeof context === 'object' && Object.hasOwn(context, key)
        ? ((context as Record<string, unknown>)[key] ?? null)
        : null;
  }
  return (context) => {
    let value: unknown = context;
    for (const part of parts) {
      if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) return null;
      value = (value as Record<string, unknown>)[part];
    }
    return value ?? null;
  };
}
