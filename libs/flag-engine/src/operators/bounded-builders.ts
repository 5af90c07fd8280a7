import { charge } from './evaluation-budget';

/**
 * JSON Logic's `merge` (flattens one level), charged one unit per element it produces before building anything.
 * Example: `{"merge": [[1, 2], 3]}` → `[1, 2, 3]`.
 */
export function merge(args: unknown): unknown[] {
  if (!Array.isArray(args)) return [args];
  let length = 0;
  for (const arg of args) length += Array.isArray(arg) ? arg.length : 1;
  charge(length);
  const result: unknown[] = [];
  for (const arg of args) {
    if (Array.isArray(arg)) for (const item of arg) result.push(item);
    else result.push(arg);
  }
  return result;
}

/**
 * JSON Logic's `cat` (null and undefined are skipped), charged one unit per character it produces.
 * Example: `{"cat": ["a", 1, null]}` → `"a1"`.
 */
export function cat(args: unknown): string {
  if (typeof args === 'string') return args;
  if (!Array.isArray(args)) return String(args);
  const parts: string[] = [];
  let length = 0;
  for (const arg of args) {
    if (arg === null || arg === undefined) continue;
    const part = String(arg);
    length += part.length;
    parts.push(part);
  }
  charge(length);
  return parts.join('');
}

/** Identity on an iterator's evaluated input, charged one unit per element the iterator will visit. */
export function iterated(args: unknown): unknown {
  const input = Array.isArray(args) ? args[0] : args;
  if (Array.isArray(input)) charge(input.length);
  return input;
}
