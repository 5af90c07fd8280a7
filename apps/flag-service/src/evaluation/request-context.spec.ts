import { contextFromAgentHeaders, contextFromBody } from './request-context';

describe('contextFromBody', () => {
  it('takes the context object, empty when absent', () => {
    expect(contextFromBody({ context: { targetingKey: 'u', a: 1 } })).toEqual({
      ok: true,
      context: { targetingKey: 'u', a: 1 },
    });
    expect(contextFromBody(undefined)).toEqual({ ok: true, context: {} });
    expect(contextFromBody({})).toEqual({ ok: true, context: {} });
  });

  it.each([[[1]], ['text'], [{ context: [] }], [{ context: 3 }], [{ context: { targetingKey: 1 } }]])(
    'refuses %j',
    (body) => {
      expect(contextFromBody(body).ok).toBe(false);
    },
  );
});

describe('contextFromAgentHeaders', () => {
  it('reads repeated and comma-separated key=value pairs', () => {
    expect(contextFromAgentHeaders(['a=1, b = two', 'c=x=y'])).toEqual({
      ok: true,
      context: { a: '1', b: 'two', c: 'x=y' },
    });
    expect(contextFromAgentHeaders(undefined)).toEqual({ ok: true, context: {} });
  });

  it('refuses entries without a key and prototype keys', () => {
    expect(contextFromAgentHeaders('novalue').ok).toBe(false);
    expect(contextFromAgentHeaders('=x').ok).toBe(false);
    expect(contextFromAgentHeaders('constructor=x').ok).toBe(false);
  });
});
