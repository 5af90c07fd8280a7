import { DocumentProblemCode } from '../errors';
import type { JsonValue } from '../model';
import { DEFAULT_DOCUMENT_LIMITS } from './document-limits';
import { jsonDepthExceeds } from './json-depth';
import { NATIVE_PARSE_CHARS, parseJsonInSteps, type JsonReading } from './json-in-steps';
import { ProblemList, pointer } from './problems';
import { drainSteps, type Steps } from '../steps';

const decoder = new TextDecoder('utf-8', { fatal: true });
/** Bytes decoded between two yields: a few milliseconds at most. */
const DECODE_BYTES_PER_STEP = 512 * 1024;
const MAX_RESERVED_KEY_REPORTS = 20;
/** `"__proto__"` as JSON may spell it, escapes included (the pattern secure-json-parse uses). */
const MAY_HOLD_PROTO_KEY =
  /"(?:_|\\u005[Ff])(?:_|\\u005[Ff])(?:p|\\u0070)(?:r|\\u0072)(?:o|\\u006[Ff])(?:t|\\u0074)(?:o|\\u006[Ff])(?:_|\\u005[Ff])(?:_|\\u005[Ff])"/;

/** Bytes or text to a JSON value; undefined (with an error in `problems`) when it is not UTF-8 JSON. */
export function readJson(
  content: string | Uint8Array,
  problems: ProblemList,
  maxDepth: number = DEFAULT_DOCUMENT_LIMITS.maxDepth,
): JsonValue | undefined {
  return drainSteps(readJsonInSteps(content, problems, maxDepth));
}

/** `readJson` in steps (see `parseJsonInSteps`): a large document does not hold the event loop while it is read. */
export function* readJsonInSteps(
  content: string | Uint8Array,
  problems: ProblemList,
  maxDepth: number = DEFAULT_DOCUMENT_LIMITS.maxDepth,
): Steps<JsonValue | undefined> {
  const decoded = typeof content === 'string' ? content : yield* decodeInSteps(content);
  if (decoded === null) {
    problems.error(DocumentProblemCode.NOT_JSON, '', 'content is not valid UTF-8');
    return undefined;
  }
  let text = decoded;
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const reading =
    text.length < NATIVE_PARSE_CHARS ? parseAtOnce(text, maxDepth) : yield* parseJsonInSteps(text, maxDepth);
  if (!reading.ok) {
    if (reading.tooDeep)
      problems.error(DocumentProblemCode.TOO_DEEP, '', `the document nests deeper than ${maxDepth} levels`);
    else problems.error(DocumentProblemCode.NOT_JSON, '', `content is not JSON: ${reading.message}`);
    return undefined;
  }
  // Walking a large document costs far more than this scan; most documents have no such key at all.
  if (MAY_HOLD_PROTO_KEY.test(text)) rejectReservedKeys(reading.value, [], problems);
  return reading.value;
}

/** UTF-8 to text (null when it is not UTF-8), a piece per step for large contents. */
export function* decodeInSteps(content: Uint8Array): Steps<string | null> {
  try {
    if (content.byteLength <= DECODE_BYTES_PER_STEP) return decoder.decode(content);
    // Its own decoder: a streaming one keeps state between the pieces of one content.
    const streaming = new TextDecoder('utf-8', { fatal: true });
    const parts: string[] = [];
    for (let at = 0; at < content.byteLength; at += DECODE_BYTES_PER_STEP) {
      const end = at + DECODE_BYTES_PER_STEP;
      parts.push(streaming.decode(content.subarray(at, end), { stream: end < content.byteLength }));
      yield;
    }
    return parts.join('');
  } catch {
    return null;
  }
}

function parseAtOnce(text: string, maxDepth: number): JsonReading {
  if (jsonDepthExceeds(text, maxDepth)) return { ok: false, tooDeep: true, message: '' };
  try {
    return { ok: true, value: JSON.parse(text) as JsonValue };
  } catch (error) {
    return { ok: false, tooDeep: false, message: (error as Error).message };
  }
}

/**
 * JSON.parse keeps `__proto__` as an own key; any consumer that copies it with assignment would replace
 * a prototype. Such documents are rejected rather than silently altered.
 */
function rejectReservedKeys(value: JsonValue, path: (string | number)[], problems: ProblemList): void {
  if (problems.errors.length >= MAX_RESERVED_KEY_REPORTS || value === null || typeof value !== 'object')
    return;
  if (Array.isArray(value)) {
    value.forEach((item, index) => rejectReservedKeys(item, [...path, index], problems));
    return;
  }
  for (const key of Object.keys(value)) {
    if (key === '__proto__') {
      const flagKey = path[0] === 'flags' && typeof path[1] === 'string' ? path[1] : undefined;
      problems.error(
        DocumentProblemCode.RESERVED_KEY,
        pointer(...path, key),
        'the key "__proto__" is not allowed',
        flagKey,
      );
    } else rejectReservedKeys(value[key], [...path, key], problems);
  }
}

export function isJsonObject(value: unknown): value is { [key: string]: JsonValue } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
