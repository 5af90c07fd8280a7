import { BadRequestException } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { jsonDepthExceeds } from './json-depth';

export type JsonBody = { ok: true; value: unknown } | { ok: false; message: string };
export type JsonBodyParser = (text: string) => JsonBody;

/**
 * The one JSON body parser of the service (Fastify route and OFREP fast path): refuses bodies nested
 * deeper than `maxDepth` before parsing, then parses with Fastify's secure-json-parse, which refuses
 * `__proto__` and `constructor.prototype` keys, so no body can pollute a prototype.
 */
export function jsonBodyParser(instance: FastifyInstance, maxDepth: number): JsonBodyParser {
  const parse = instance.getDefaultJsonParser('error', 'error');
  return (text) => {
    if (jsonDepthExceeds(text, maxDepth))
      return { ok: false, message: `JSON body nested deeper than ${maxDepth} levels` };
    let outcome: JsonBody = { ok: false, message: 'invalid JSON body' };
    // Fastify's default parser ignores the request and calls back synchronously.
    parse(undefined as never, text, (error: Error | null, value?: unknown) => {
      outcome = error ? { ok: false, message: `invalid JSON body: ${error.message}` } : { ok: true, value };
    });
    return outcome;
  };
}

/** Replaces Fastify's JSON parser with `jsonBodyParser` (400 on refusal, Fastify's bodyLimit still applies). */
export function registerJsonBodyParser(
  instance: FastifyInstance,
  options: { bodyLimit: number; parse: JsonBodyParser },
): void {
  instance.removeContentTypeParser('application/json');
  instance.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: options.bodyLimit },
    (_request, body, done) => {
      const parsed = options.parse(body as string);
      if (parsed.ok) done(null, parsed.value);
      else done(new BadRequestException(parsed.message), undefined);
    },
  );
}
