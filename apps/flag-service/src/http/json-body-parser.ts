import { BadRequestException } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import secureJson from 'secure-json-parse';
import { jsonDepthExceeds } from '@flagfleet/flag-engine';

export type JsonBody = { ok: true; value: unknown } | { ok: false; message: string };
export type JsonBodyParser = (text: string) => JsonBody;

/**
 * The one JSON body parser of the service (Fastify route and OFREP fast path): refuses bodies nested
 * deeper than `maxDepth` before parsing, then parses with secure-json-parse (Fastify's own parser),
 * which refuses `__proto__` and `constructor.prototype` keys, so no body can pollute a prototype.
 */
export function jsonBodyParser(maxDepth: number): JsonBodyParser {
  return (text) => {
    // No body is no value (an empty OFREP context, as docs/service.md says), whatever the content type.
    if (text.trim().length === 0) return { ok: true, value: undefined };
    if (jsonDepthExceeds(text, maxDepth))
      return { ok: false, message: `JSON body nested deeper than ${maxDepth} levels` };
    if (plainJson(text)) {
      try {
        return { ok: true, value: JSON.parse(text) as unknown };
      } catch {
        // Invalid JSON: secure-json-parse below names the problem in the same words.
      }
    }
    try {
      return {
        ok: true,
        value: secureJson.parse(text, { protoAction: 'error', constructorAction: 'error' }),
      };
    } catch (error) {
      // "Unexpected token …" or "Object contains forbidden prototype property": both name the problem.
      return { ok: false, message: `invalid JSON body: ${(error as Error).message}` };
    }
  };
}

/**
 * True when JSON.parse alone is as safe as secure-json-parse: without a literal `__proto__` or
 * `constructor` and without `\u` escapes (the only way to spell them otherwise) no parsed key can be one
 * of them. A leading BOM (which secure-json-parse strips) takes secure-json-parse. Skipping its two
 * escape-aware regular expressions per request is a measurable share of OFREP throughput.
 */
function plainJson(text: string): boolean {
  return (
    text.charCodeAt(0) !== 0xfeff &&
    !text.includes('\\u') &&
    !text.includes('__proto__') &&
    !text.includes('constructor')
  );
}

/**
 * Replaces Fastify's JSON and text parsers with `jsonBodyParser` (400 on refusal, Fastify's bodyLimit
 * still applies). text/plain is read as JSON too: every route takes JSON only, and a JSON body sent as
 * text (a hand-written request) would otherwise arrive as a string and be refused as "not an object".
 */
export function registerJsonBodyParser(
  instance: FastifyInstance,
  options: { bodyLimit: number; parse: JsonBodyParser },
): void {
  instance.removeContentTypeParser(['application/json', 'text/plain']);
  instance.addContentTypeParser(
    ['application/json', 'text/plain'],
    { parseAs: 'string', bodyLimit: options.bodyLimit },
    (_request, body, done) => {
      const parsed = options.parse(body as string);
      if (parsed.ok) done(null, parsed.value);
      else done(new BadRequestException(parsed.message), undefined);
    },
  );
}
