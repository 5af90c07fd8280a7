import { splitPath } from 'json-logic-engine';
import { PROTOTYPE_KEYS } from '../../prototype-keys';
import type { AppConfigOperator } from './index';
import { APPCONFIG_SPLIT, compileSplit } from './split';

/** A compiled AppConfig rule part: context in, operand or truth value out. Never throws. */
export type RuleClosure = (context: unknown) => unknown;

/**
 * Compiles a JSON Logic subtree made of AppConfig operators, `var`, `preserve` and literals into direct
 * closures: one call per variant rule from the compiled JSON Logic, no generic dispatch or argument arrays per
 * operator, and `and`/`or` short-circuit (same three-valued results as their operators). Null when the subtree
 * holds anything else: json-logic-engine then compiles it as usual.
 */
export function compileClosure(
  node: unknown,
  operators: ReadonlyMap<string, AppConfigOperator>,
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
  if (name === APPCONFIG_SPLIT) return split(args, parts);
  if (name === 'appconfig_and') return and(parts);
  if (name === 'appconfig_or') return or(parts);
  // One argument buffer per operator node: evaluation is synchronous and operators do not keep it.
  const values: unknown[] = new Array(parts.length);
  return (context) => {
    for (let i = 0; i < parts.length; i++) values[i] = parts[i](context);
    return operator(values, context);
  };
}

/** A split with constant pct, seed and flag key hashes only the value per evaluation. */
function split(args: readonly unknown[], parts: readonly RuleClosure[]): RuleClosure {
  const [pct, , seed, flagKey] = args;
  if (typeof pct !== 'number' || (seed !== null && typeof seed !== 'string') || typeof flagKey !== 'string')
    return () => null;
  const test = compileSplit(pct, seed, flagKey);
  const value = parts[1];
  return (context) => test(value(context));
}

function and(parts: readonly RuleClosure[]): RuleClosure {
  return (context) => {
    let unknown = false;
    for (let i = 0; i < parts.length; i++) {
      const value = parts[i](context);
      if (value === false) return false;
      if (value !== true) unknown = true;
    }
    return unknown ? null : true;
  };
}

function or(parts: readonly RuleClosure[]): RuleClosure {
  return (context) => {
    let unknown = false;
    for (let i = 0; i < parts.length; i++) {
      const value = parts[i](context);
      if (value === true) return true;
      if (value !== false) unknown = true;
    }
    return unknown ? null : false;
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
