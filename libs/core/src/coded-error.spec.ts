import { CodedError, codedError } from './coded-error';

abstract class LibError extends CodedError {}

class ThingMissingError extends codedError(
  'FLAGFLEET_THING_MISSING',
  404,
  (id: string, where: number) => `thing ${id} not found in ${where}`,
  LibError,
) {}

class FixedError extends codedError('FLAGFLEET_FIXED', 503, 'always the same') {}

class KeptError extends codedError('FLAGFLEET_KEPT', 400, (items: readonly string[]) => items.join(', ')) {
  constructor(readonly items: readonly string[]) {
    super(items);
  }
}

describe('codedError', () => {
  it('makes a class whose errors carry the code, the status, the templated message and their own name', () => {
    const error = new ThingMissingError('a', 3);
    expect(error).toMatchObject({
      code: 'FLAGFLEET_THING_MISSING',
      status: 404,
      message: 'thing a not found in 3',
      name: 'ThingMissingError',
    });
    expect(String(error)).toBe('ThingMissingError: thing a not found in 3');
    expect(error.stack).toContain('coded-error.spec.ts');
    expect([ThingMissingError.code, ThingMissingError.status]).toEqual(['FLAGFLEET_THING_MISSING', 404]);
  });

  it('is an instance of its class, its lib base, CodedError and Error; not of another coded class', () => {
    const error = new ThingMissingError('a', 1);
    for (const type of [ThingMissingError, LibError, CodedError, Error]) expect(error).toBeInstanceOf(type);
    expect(error).not.toBeInstanceOf(FixedError);
    expect(new FixedError()).not.toBeInstanceOf(LibError);
  });

  it('takes a trailing {cause} after the template arguments, as @fastify/error does', () => {
    const cause = new Error('disk gone');
    expect(new ThingMissingError('a', 1, { cause }).cause).toBe(cause);
    expect(new FixedError({ cause }).cause).toBe(cause);
    expect(new ThingMissingError('a', 1).cause).toBeUndefined();
    expect(new FixedError().message).toBe('always the same');
  });

  it('lets a subclass keep fields of its arguments', () => {
    const error = new KeptError(['x', 'y']);
    expect(error).toMatchObject({ items: ['x', 'y'], message: 'x, y', name: 'KeptError', status: 400 });
  });
});
