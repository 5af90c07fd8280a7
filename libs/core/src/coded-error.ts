/**
 * The one error model: every coded error of flagfleet has a stable code (listed in docs/errors.md) and the HTTP
 * status it answers when it reaches an API; the service's one problem writer maps them all.
 */
export abstract class CodedError extends Error {
  abstract readonly code: string;
  /** HTTP status when the error reaches an API answer (500 for start-up errors that never do). */
  abstract readonly status: number;
}

/** The message of a coded error: fixed, or made from the constructor's arguments (typed, unlike printf). */
export type ErrorTemplate<A extends readonly unknown[]> = string | ((...args: A) => string);

/** A constructor's arguments: the template's, then optionally `{cause}` (as `@fastify/error` takes it). */
export type CodedErrorArgs<A extends readonly unknown[]> = A | [...A, { readonly cause: unknown }];

/** A coded error class as codedError makes it: `code` and `status` on the class too (docs, tests). */
export interface CodedErrorClass<C extends string, A extends readonly unknown[]> {
  new (...args: CodedErrorArgs<A>): CodedError & { readonly code: C; readonly status: number };
  readonly code: C;
  readonly status: number;
  readonly prototype: CodedError;
}

type CodedErrorBase = abstract new (message: string, options?: { cause?: unknown }) => CodedError;

/**
 * A coded error class from its code, status and message template, in the style of `@fastify/error`'s
 * `createError(code, message, statusCode, Base)`: no constructor, name or status to repeat per class. Extend
 * the result to name it (its `name` is the subclass's) and to keep fields of the arguments:
 *
 *     export class LeaseLostError extends codedError('FLAGFLEET_LEASE_LOST', 409,
 *       (source: string, fence: number) => `poll lease for ${source} with fence ${fence} is no longer held`) {}
 *
 * `base` (default CodedError) is a lib's own abstract error class, for `instanceof` on all of a lib's errors.
 */
export function codedError<C extends string, A extends readonly unknown[] = []>(
  code: C,
  status: number,
  template: ErrorTemplate<A>,
  base: CodedErrorBase = CodedError,
): CodedErrorClass<C, A> {
  const arity = typeof template === 'string' ? 0 : template.length;
  class Coded extends base {
    static readonly code = code;
    static readonly status = status;
    readonly code = code;
    readonly status = status;

    constructor(...args: CodedErrorArgs<A>) {
      const last = args[args.length - 1];
      const hasCause = args.length > arity && typeof last === 'object' && last !== null && 'cause' in last;
      const params = (hasCause ? args.slice(0, -1) : args) as unknown as A;
      super(
        typeof template === 'string' ? template : template(...params),
        hasCause ? { cause: (last as { cause: unknown }).cause } : undefined,
      );
      this.name = new.target.name;
    }
  }
  return Coded;
}
