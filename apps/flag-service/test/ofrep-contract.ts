import { readFileSync } from 'node:fs';
import OpenAPIResponseValidator from 'openapi-response-validator';
import { parse } from 'yaml';

type Json = Record<string, unknown>;

/**
 * Response validators built from the OFREP contract (../shared/conformance/ofrep/openapi.yaml), with
 * the two documented real-world deviations applied: reason DEFAULT, and `oneOf` over the value types
 * read as `anyOf` — the contract's `codeDefaultFlag` (no properties) matches every success, and an
 * integer is also a float, so a strict `oneOf` would reject every valid answer.
 */
export function ofrepValidators(contractPath: string): {
  single: OpenAPIResponseValidator;
  bulk: OpenAPIResponseValidator;
} {
  const doc = parse(readFileSync(contractPath, 'utf8')) as Json;
  const components = doc.components as { schemas: Record<string, Json> };
  const success = components.schemas.evaluationSuccess as { allOf: Json[] };
  const properties = success.allOf[0].properties as { reason: { enum: string[] } };
  properties.reason.enum.push('DEFAULT');
  success.allOf[1] = { anyOf: success.allOf[1].oneOf };
  const paths = doc.paths as Record<string, { post: { responses: Record<string, Json> } }>;
  const responses = (path: string): Record<string, { schema: Json }> => {
    const result: Record<string, { schema: Json }> = {};
    for (const [status, response] of Object.entries(paths[path].post.responses)) {
      const content = response.content as Record<string, { schema: Json }> | undefined;
      result[status] = { schema: content?.['application/json']?.schema ?? {} };
    }
    return result;
  };
  const make = (path: string): OpenAPIResponseValidator =>
    new OpenAPIResponseValidator({
      // The validator speaks OpenAPI 3.0 component shapes; the schemas used here are compatible.
      components: components as never,
      responses: responses(path) as never,
      customFormats: { float: () => true },
    });
  return { single: make('/ofrep/v1/evaluate/flags/{key}'), bulk: make('/ofrep/v1/evaluate/flags') };
}
