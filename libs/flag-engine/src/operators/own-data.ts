import { splitPathMemoized } from 'json-logic-engine';

// json-logic-engine's marker for code a compile step hands back as is (constants.js, not in its default export).
const COMPILED = Symbol.for('json_logic_compiled');

/**
 * JSON Logic's data accessors (`var`, `val`, `get`, `missing`, `missing_some`, `exists`) reading own properties
 * only. json-logic-engine's read `context[key]` and `key in context`, so a computed path such as
 * `{"var": {"var": "k"}}` with `k = "constructor.name"` reached through the prototype chain ("Object").
 * Here an inherited property is a missing one, whatever the path and however it was computed.
 */

/** `value[key]` when `key` is an own property of `value` (strings and arrays included), else undefined. */
export function ownProperty(value: unknown, key: PropertyKey): unknown {
  if (value === null || value === undefined || !Object.hasOwn(value as object, key)) return undefined;
  return (value as Record<PropertyKey, unknown>)[key];
}

function ownPath(value: unknown, parts: readonly string[]): unknown {
  let current = value;
  for (const part of parts) {
    current = ownProperty(current, part);
    if (current === undefined) return undefined;
  }
  return current;
}

type Above = unknown[];
type BuildState = {
  compile: (strings: TemplateStringsArray, ...items: unknown[]) => unknown;
  iteratorCompile?: boolean;
};
type Method = (args: unknown, context: unknown, above: Above) => unknown;
type AccessorMethod = {
  method: Method;
  compile?: (data: unknown, buildState: BuildState) => unknown;
  optimizeUnary?: boolean;
};

/** `{"var": "a.b"}`, `{"var": ["a.b", default]}`, `{"var": "../x"}` (the iterator's outer scopes), `{"var": ""}`. */
const variable: AccessorMethod = {
  method: (args, context, above) => {
    let key = args;
    let fallback: unknown;
    if (Array.isArray(key)) [key, fallback] = key as unknown[];
    let scope = context;
    let scopes = above;
    let climbed = 0;
    while (typeof key === 'string' && key.startsWith('../') && climbed < scopes.length) {
      scope = scopes[climbed++];
      key = key.substring(3);
      // json-logic-engine passes the outer scopes of nested iterators as a trailing array.
      if (climbed === scopes.length && Array.isArray(scope)) {
        scopes = scope;
        climbed = 0;
        scope = scopes[climbed++];
      }
    }
    if (key === undefined || key === null || key === '') return typeof scope === 'function' ? null : scope;
    const value = ownPath(scope, splitPathMemoized(String(key)));
    if (value === undefined) return fallback === undefined ? null : fallback;
    return typeof value === 'function' ? null : value;
  },
  optimizeUnary: true,
  // Literal paths compile to a direct own-property read (the hot path); others call the method.
  compile: (data, buildState) => {
    let key = data;
    let fallback: unknown = null;
    if (Array.isArray(data)) {
      if (data.length > 2) return false;
      [key, fallback = null] = data as unknown[];
    }
    if (key === '../index' && buildState.iteratorCompile) return 'index';
    if (key === undefined || key === null || key === '') return 'context';
    if (typeof key !== 'string' && typeof key !== 'number') return false;
    const path = String(key);
    if (path.includes('../')) return false;
    // Inline code (no call): each step reads an own property of the previous one, or gives undefined.
    let read = 'context';
    for (const part of splitPathMemoized(path)) {
      const name = JSON.stringify(part);
      read = `(Object.hasOwn(prev = (${read} ?? 0), ${name}) ? prev[${name}] : undefined)`;
    }
    return buildState.compile`(typeof (prev = (${{ [COMPILED]: read }} ?? ${fallback})) === 'function' ? null : prev)`;
  },
};

/** `{"val": "a"}` (one key, no dot splitting), `{"val": ["a", "b"]}` (a path), `{"val": [[n], ...]}` (n scopes up). */
const value: AccessorMethod = {
  method: (args, context, above) => {
    let path = args;
    if (Array.isArray(path) && path.length === 1 && !Array.isArray(path[0])) path = path[0];
    if (!Array.isArray(path)) return ownProperty(context, path as PropertyKey) ?? null;
    let result = context;
    let start = 0;
    let scopes = above;
    if (Array.isArray(path[0]) && path[0].length === 1) {
      start = 1;
      const climb = Math.abs(Number(path[0][0]));
      let position = 0;
      for (let i = 0; i < climb; i++) {
        result = scopes[position++];
        if (i === scopes.length - 1 && Array.isArray(result)) {
          scopes = result;
          result = result[0];
          position = 1;
        }
      }
    }
    for (let i = start; i < path.length; i++) {
      if (result === null || result === undefined) return null;
      result = ownProperty(result, path[i] as PropertyKey);
    }
    return result === undefined || typeof result === 'function' ? null : result;
  },
  optimizeUnary: true,
};

/** `{"get": [object, "a.b", default]}`: a path into a computed object. */
const get: AccessorMethod = {
  method: (args) => {
    const [data, key, fallback] = Array.isArray(args) ? (args as unknown[]) : [args];
    const found = ownPath(data, splitPathMemoized(String(key)));
    if (found === undefined) return fallback === undefined ? null : fallback;
    return typeof found === 'function' ? null : found;
  },
};

function missingKeys(keys: unknown, context: unknown): unknown[] {
  const list = Array.isArray(keys) ? keys : [keys];
  return list.filter((key) => ownPath(context, splitPathMemoized(String(key))) === undefined);
}

/** `{"missing": ["a", "b.c"]}`: the keys the context lacks. */
const missing: AccessorMethod = { method: (args, context) => missingKeys(args, context) };

/** `{"missing_some": [n, ["a", "b"]]}`: [] when at least n are present, else the missing ones. */
const missingSome: AccessorMethod = {
  method: (args, context) => {
    const [needed, keys] = Array.isArray(args) ? (args as unknown[]) : [];
    const list = Array.isArray(keys) ? keys : [];
    const absent = missingKeys(list, context);
    return list.length - absent.length >= Number(needed) ? [] : absent;
  },
};

/** `{"exists": "a"}` / `{"exists": ["a", "b"]}`: whether the path leads to an own property. */
const exists: AccessorMethod = {
  method: (args, context) => {
    const path = Array.isArray(args) ? (args as unknown[]) : [args];
    let current = context;
    for (const part of path) {
      if (current === null || current === undefined || !Object.hasOwn(current as object, part as PropertyKey))
        return false;
      current = (current as Record<PropertyKey, unknown>)[part as PropertyKey];
    }
    return true;
  },
};

/** Registered in place of json-logic-engine's accessors. */
export const OWN_DATA_ACCESSORS: Readonly<Record<string, AccessorMethod>> = {
  var: variable,
  val: value,
  get,
  missing,
  missing_some: missingSome,
  exists,
};
