import { drainSteps } from '../steps';
import { NATIVE_PARSE_CHARS, parseJsonInSteps } from './json-in-steps';

const read = (text: string, maxDepth = 64) => drainSteps(parseJsonInSteps(text, maxDepth));
/** A string long enough that the containers holding it are built member by member. */
const long = 'x'.repeat(NATIVE_PARSE_CHARS);

describe('parseJsonInSteps', () => {
  it.each([
    [
      'flags',
      JSON.stringify({ flags: { a: { state: 'ENABLED', note: long }, b: { v: [1, 2, { c: null }] } } }),
    ],
    ['pretty-printed', JSON.stringify({ flags: { a: { note: long }, b: [true, false, -1.5e3] } }, null, 2)],
    ['an array root', JSON.stringify([long, { a: [long, 1] }, [], {}, 'é\u2028"\\'])],
    ['nested large containers', JSON.stringify({ a: { b: { c: { d: long, e: [long, long] } } } })],
    ['escapes in keys and values', `{"k\\"ey": "${long}", "\\u0061": "\\\\", "x": "\\"}"}`],
    ['empty containers and spacing', `\t\n { "a" : [ ] , "b" : { } , "c" :"${long}" } \r\n`],
    [
      'numbers and literals',
      `{"n": [0, -0, 1e400, 3.25E-2], "t": true, "f": false, "z": null, "s": "${long}"}`,
    ],
  ])('equals JSON.parse: %s', (_label, text) => {
    expect(text.length).toBeGreaterThan(NATIVE_PARSE_CHARS);
    expect(read(text)).toEqual({ ok: true, value: JSON.parse(text) });
  });

  it('keeps a repeated key at its first position with its last value, as JSON.parse does', () => {
    const text = `{"a": 1, "b": "${long}", "a": 2}`;
    const reading = read(text);
    expect(reading.ok && Object.entries(reading.value as object)).toEqual(Object.entries(JSON.parse(text)));
  });

  it('keeps "__proto__" as an own key without touching the prototype', () => {
    const text = `{"__proto__": {"polluted": true}, "b": "${long}"}`;
    const reading = read(text);
    if (!reading.ok) throw new Error(reading.message);
    const value = reading.value as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.hasOwn(value, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('yields while it reads a large document', () => {
    const flags = Object.fromEntries(
      Array.from({ length: 2000 }, (_, i) => [`f${i}`, { state: 'ENABLED', i }]),
    );
    const text = JSON.stringify({ flags });
    let steps = 0;
    const run = parseJsonInSteps(text, 64);
    while (!run.next().done) steps++;
    expect(steps).toBeGreaterThanOrEqual(2000);
  });

  it.each([
    ['a trailing comma', `{"a": "${long}",}`],
    ['a missing comma', `{"a": "${long}" "b": 1}`],
    ['a missing colon', `{"a" "${long}"}`],
    ['a bad literal', `{"a": "${long}", "b": tru}`],
    ['an empty member', `["${long}",,1]`],
    ['text after the root', `{"a": "${long}"} {}`],
    ['a mismatched bracket', `{"a": ["${long}"}}`],
    ['an unclosed container', `{"a": ["${long}"]`],
    ['an unterminated string', `{"a": "${long}`],
    ['a bad member inside a small container', `{"a": "${long}", "b": {"c": nope}}`],
  ])('rejects %s, as JSON.parse does', (_label, text) => {
    expect(() => JSON.parse(text)).toThrow();
    const reading = read(text);
    expect(reading).toMatchObject({ ok: false, tooDeep: false });
  });

  it('refuses nesting beyond the limit before building anything, brackets in strings aside', () => {
    const deep = `{"s": "${long}[[[[", "a": [[[[1]]]]}`;
    expect(read(deep, 4)).toEqual({ ok: false, tooDeep: true, message: '' });
    expect(read(deep, 5)).toMatchObject({ ok: true });
  });
});
