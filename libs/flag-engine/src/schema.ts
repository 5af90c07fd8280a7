/**
 * JSON Schema of the flagd document format this engine accepts. `schema/flag-document.schema.json` is
 * generated from this constant (`npx tsx libs/flag-engine/src/cli/write-schema.ts`); a test fails if they drift.
 * Usable as an AppConfig JSON Schema validator on a freeform profile. Semantic checks the schema cannot
 * express (defaultVariant among the variants, compilable targeting) are done by `npm run validate`.
 */
export const FLAG_DOCUMENT_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://flagfleet.dev/schema/flag-document.schema.json',
  $comment: 'Generated from libs/flag-engine/src/schema.ts; do not edit by hand.',
  title: 'flagfleet flag document (flagd definition format)',
  type: 'object',
  required: ['flags'],
  properties: {
    $schema: { type: 'string' },
    flags: {
      oneOf: [
        {
          type: 'object',
          propertyNames: { minLength: 1, not: { enum: ['__proto__'] } },
          additionalProperties: { $ref: '#/definitions/flag' },
        },
        {
          type: 'array',
          items: {
            allOf: [
              { $ref: '#/definitions/flag' },
              { type: 'object', required: ['key'], properties: { key: { type: 'string', minLength: 1 } } },
            ],
          },
        },
      ],
    },
    $evaluators: {
      type: 'object',
      description: 'Named JSON Logic rules, referenced from targeting as {"$ref": "name"}.',
      additionalProperties: { type: 'object' },
    },
    metadata: { $ref: '#/definitions/metadata' },
  },
  definitions: {
    metadata: {
      type: 'object',
      additionalProperties: { type: ['string', 'number', 'boolean'] },
    },
    flag: {
      type: 'object',
      required: ['state', 'variants'],
      properties: {
        key: { type: 'string' },
        state: { enum: ['ENABLED', 'DISABLED'] },
        variants: {
          oneOf: [
            { $ref: '#/definitions/variants/boolean' },
            { $ref: '#/definitions/variants/string' },
            { $ref: '#/definitions/variants/number' },
            { $ref: '#/definitions/variants/object' },
          ],
        },
        defaultVariant: { type: ['string', 'null'] },
        targeting: {
          type: 'object',
          description: 'A JSON Logic rule with the operators fractional, sem_ver, starts_with, ends_with.',
        },
        metadata: { $ref: '#/definitions/metadata' },
      },
    },
    variants: {
      boolean: { type: 'object', minProperties: 1, additionalProperties: { type: 'boolean' } },
      string: { type: 'object', minProperties: 1, additionalProperties: { type: 'string' } },
      number: { type: 'object', minProperties: 1, additionalProperties: { type: 'number' } },
      object: { type: 'object', minProperties: 1, additionalProperties: { type: ['object', 'array'] } },
    },
  },
} as const;
