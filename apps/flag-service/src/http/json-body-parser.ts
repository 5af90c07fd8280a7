import { BadRequestException } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { jsonDepthExceeds } from './json-depth';

/**
 * Replaces Fastify's JSON parser with one that also refuses bodies nested deeper than `maxDepth`.
 * Parsing itself stays Fastify's (secure-json-parse): `__proto__` and `constructor.prototype` keys are
 * refused with 400, so no body can pollute a prototype.
 */
export function registerJsonBodyParser(instance: FastifyInstance, options: { bodyLimit: number; maxDepth: number }): void {
  const parse = instance.getDefaultJsonParser('error', 'error');
  instance.removeContentTypeParser('application/json');
  instance.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: options.bodyLimit }, (request, body, done) => {
    const text = body as string;
    if (jsonDepthExceeds(text, options.maxDepth)) {
      done(new BadRequestException(`JSON body nested deeper than ${options.maxDepth} levels`), undefined);
      return;
    }
    parse(request, text, (error: Error | null, value?: unknown) => {
      if (error) done(new BadRequestException(`invalid JSON body: ${error.message}`), undefined);
      else done(null, value);
    });
  });
}
