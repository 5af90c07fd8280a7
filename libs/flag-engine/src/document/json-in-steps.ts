import type { Steps } from '../steps';
import type { JsonValue } from '../model';

/** Containers up to this many characters are parsed by one `JSON.parse` (well under a millisecond). */
export const NATIVE_PARSE_CHARS = 32 * 1024;
/** Characters scanned between two yields while the document's structure is indexed. */
const SCAN_CHARS_PER_STEP = 128 * 1024;

export type JsonReading =
  | { readonly ok: true; readonly value: JsonValue }
  | { readonly ok: false; readonly tooDeep: boolean; readonly message: string };

class NotJson extends Error {}

/**
 * `JSON.parse` of a large text in steps that each take a fraction of a millisecond, so that a multi-megabyte
 * document does not hold the event loop for the length of its parse. A first pass indexes where every object
 * and array starts and ends (strings skipped natively) and checks the nesting depth; a second builds the large
 * containers member by member, each member small enough for one native `JSON.parse`. The value equals
 * `JSON.parse(text)`'s: same members in the same order, a repeated key keeps its first position and last value,
 * `"__proto__"` stays an own key. The caller checks for that key (`mayHoldProtoKey` names the texts to walk).
 */
export function* parseJsonInSteps(text: string, maxDepth: number): Steps<JsonReading> {
  const index = yield* indexContainers(text, maxDepth);
  if (!index.ok) return index;
  try {
    const first = skipSpace(text, 0);
    // A document is an object; any other root (a lone value) has no structure to split.
    if (index.starts[0] !== first) return { ok: true, value: JSON.parse(text) as JsonValue };
    const value = yield* buildContainer(text, index, 0);
    const after = skipSpace(text, index.ends[0] + 1);
    if (after < text.length) throw unexpected(text, after);
    return { ok: true, value: value as JsonValue };
  } catch (error) {
    return { ok: false, tooDeep: false, message: (error as Error).message };
  }
}

interface ContainerIndex {
  readonly ok: true;
  /** Start offsets of every object and array, in document order (ascending), and their closing offsets. */
  readonly starts: number[];
  readonly ends: number[];
}

function* indexContainers(
  text: string,
  maxDepth: number,
): Steps<ContainerIndex | { ok: false; tooDeep: boolean; message: string }> {
  const starts: number[] = [];
  const ends: number[] = [];
  const open: number[] = [];
  let nextYield = SCAN_CHARS_PER_STEP;
  for (let i = 0; i < text.length; i++) {
    if (i >= nextYield) {
      yield;
      nextYield = i + SCAN_CHARS_PER_STEP;
    }
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      i = stringEnd(text, i);
      if (i < 0) return { ok: false, tooDeep: false, message: 'Unterminated string in JSON' };
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (open.length >= maxDepth) return { ok: false, tooDeep: true, message: '' };
      open.push(starts.length);
      starts.push(i);
      ends.push(-1);
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      const container = open.pop();
      if (container === undefined || text.charCodeAt(starts[container]) !== c - 2)
        return { ok: false, tooDeep: false, message: `Unexpected "${text[i]}" at position ${i}` };
      ends[container] = i;
    }
  }
  if (open.length > 0) return { ok: false, tooDeep: false, message: 'Unexpected end of JSON input' };
  return { ok: true, starts, ends };
}

/** The offset of the quote closing the string opened at `at`, or -1. */
function stringEnd(text: string, at: number): number {
  let end = text.indexOf('"', at + 1);
  while (end !== -1) {
    let backslashes = 0;
    while (text.charCodeAt(end - 1 - backslashes) === 92 /* \ */) backslashes++;
    if (backslashes % 2 === 0) return end;
    end = text.indexOf('"', end + 1);
  }
  return -1;
}

function* buildContainer(text: string, index: ContainerIndex, container: number): Steps<unknown> {
  const start = index.starts[container];
  const end = index.ends[container];
  if (end - start < NATIVE_PARSE_CHARS) return parseSlice(text, start, end + 1);
  const isObject = text.charCodeAt(start) === 123;
  const object: Record<string, unknown> = {};
  const array: unknown[] = [];
  let at = skipSpace(text, start + 1);
  if (at === end) return isObject ? object : array;
  for (;;) {
    let key = '';
    if (isObject) {
      if (text.charCodeAt(at) !== 34) throw unexpected(text, at);
      const keyEnd = stringEnd(text, at);
      key = parseSlice(text, at, keyEnd + 1) as string;
      at = skipSpace(text, keyEnd + 1);
      if (text.charCodeAt(at) !== 58 /* : */) throw unexpected(text, at);
      at = skipSpace(text, at + 1);
    }
    let value: unknown;
    let valueEnd: number;
    const c = text.charCodeAt(at);
    if (c === 123 || c === 91) {
      const child = containerAt(index, at);
      value = yield* buildContainer(text, index, child);
      valueEnd = index.ends[child] + 1;
    } else {
      valueEnd = c === 34 ? stringEnd(text, at) + 1 : primitiveEnd(text, at);
      value = parseSlice(text, at, valueEnd);
    }
    if (!isObject) array.push(value);
    // JSON.parse defines own properties: "__proto__" must not set the prototype.
    else if (key === '__proto__')
      Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
    else object[key] = value;
    yield;
    at = skipSpace(text, valueEnd);
    if (at === end) return isObject ? object : array;
    if (text.charCodeAt(at) !== 44 /* , */) throw unexpected(text, at);
    at = skipSpace(text, at + 1);
    if (at === end) throw unexpected(text, at);
  }
}

function containerAt(index: ContainerIndex, offset: number): number {
  let low = 0;
  let high = index.starts.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const start = index.starts[middle];
    if (start === offset) return middle;
    if (start < offset) low = middle + 1;
    else high = middle - 1;
  }
  throw new NotJson(`no container at ${offset}`);
}

/** Numbers, true, false, null: up to the next delimiter. */
function primitiveEnd(text: string, at: number): number {
  let i = at;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 44 || c === 125 || c === 93 || isSpace(c)) break;
  }
  return i;
}

function parseSlice(text: string, from: number, to: number): unknown {
  try {
    return JSON.parse(text.slice(from, to));
  } catch (error) {
    throw new NotJson(`${(error as Error).message} (in the value at position ${from})`);
  }
}

function skipSpace(text: string, at: number): number {
  let i = at;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

function unexpected(text: string, at: number): NotJson {
  return new NotJson(
    at >= text.length ? 'Unexpected end of JSON input' : `Unexpected "${text[at]}" at position ${at}`,
  );
}
