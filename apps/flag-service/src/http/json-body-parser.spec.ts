import { jsonBodyParser } from './json-body-parser';

describe('jsonBodyParser', () => {
  const parse = jsonBodyParser(4);

  it('parses plain JSON (the JSON.parse path)', () => {
    expect(parse('{"context":{"targetingKey":"u","plan":"pro"}}')).toEqual({
      ok: true,
      value: { context: { targetingKey: 'u', plan: 'pro' } },
    });
  });

  it('refuses prototype keys, literal or spelled with \\u escapes', () => {
    for (const text of [
      '{"context":{"__proto__":{"admin":true}}}',
      '{"context":{"\\u005f_proto__":{"admin":true}}}',
      '{"constructor":{"prototype":{"admin":true}}}',
      '{"\\u0063onstructor":{"prototype":{"admin":true}}}',
    ]) {
      const parsed = parse(text);
      expect(parsed.ok).toBe(false);
      expect(({} as Record<string, unknown>).admin).toBeUndefined();
    }
  });

  it('keeps harmless escapes and a leading BOM working', () => {
    expect(parse('{"context":{"name":"caf\\u00e9"}}')).toEqual({
      ok: true,
      value: { context: { name: 'café' } },
    });
    expect(parse('\ufeff{"context":{}}')).toEqual({ ok: true, value: { context: {} } });
  });

  it('words invalid bodies like the Fastify route, and reads an empty one as no value', () => {
    const invalid = parse('{"context":');
    expect(invalid.ok).toBe(false);
    expect(!invalid.ok && invalid.message).toMatch(/^invalid JSON body: /);
    expect(parse('')).toEqual({ ok: true, value: undefined });
    expect(parse(' \n')).toEqual({ ok: true, value: undefined });
  });

  it('refuses bodies nested deeper than the limit before parsing', () => {
    expect(parse('{"a":{"b":{"c":{"d":{"e":1}}}}}')).toEqual({
      ok: false,
      message: 'JSON body nested deeper than 4 levels',
    });
    expect(parse('{"a":{"b":{"c":{"d":1}}}}').ok).toBe(true);
    expect(parse('{"a":"{{{{{{","b":[[1]]}').ok).toBe(true);
  });
});
