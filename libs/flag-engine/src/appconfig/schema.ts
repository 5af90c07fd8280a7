/**
 * JSON Schema of AppConfig's feature-flag authoring document (`AWS.AppConfig.FeatureFlags`), following AWS's
 * published type reference. `schema/appconfig-feature-flags.schema.json` is generated from this constant
 * (`npx tsx libs/flag-engine/src/cli/write-schema.ts`); a test fails if they drift. Checks the schema cannot
 * express (constraints satisfied, the default variant last without a rule, rules that parse) are done by
 * `compileFlagDocument` and `npm run validate`.
 */
const KEY = '^[a-z][a-zA-Z\\d_-]{0,63}$';

export const APPCONFIG_FEATURE_FLAGS_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://flagfleet.dev/schema/appconfig-feature-flags.schema.json',
  $comment: 'Generated from libs/flag-engine/src/appconfig/schema.ts; do not edit by hand.',
  title: 'AWS AppConfig feature flags (authoring document)',
  type: 'object',
  required: ['version'],
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    version: { type: 'string', enum: ['1'] },
    flags: {
      type: 'object',
      patternProperties: { [KEY]: { $ref: '#/definitions/flagDefinition' } },
      additionalProperties: false,
    },
    values: {
      type: 'object',
      patternProperties: { [KEY]: { $ref: '#/definitions/flagValue' } },
      additionalProperties: false,
    },
  },
  definitions: {
    name: { type: 'string', pattern: '^[^\\n]{1,64}$' },
    description: { type: 'string', maxLength: 1024 },
    flagDefinition: {
      type: 'object',
      required: ['name'],
      additionalProperties: false,
      properties: {
        name: { $ref: '#/definitions/name' },
        description: { $ref: '#/definitions/description' },
        _createdAt: { type: 'string' },
        _updatedAt: { type: 'string' },
        _deprecation: {
          type: 'object',
          additionalProperties: false,
          properties: {
            status: { type: 'string', enum: ['planned'] },
            date: { type: 'string', format: 'date' },
          },
        },
        attributes: {
          type: 'object',
          maxProperties: 25,
          additionalProperties: false,
          patternProperties: {
            [KEY]: {
              type: 'object',
              additionalProperties: false,
              properties: {
                description: { $ref: '#/definitions/description' },
                constraints: {
                  oneOf: [
                    { $ref: '#/definitions/numberConstraints' },
                    { $ref: '#/definitions/stringConstraints' },
                    { $ref: '#/definitions/arrayConstraints' },
                    { $ref: '#/definitions/boolConstraints' },
                  ],
                },
              },
            },
          },
        },
      },
    },
    numberConstraints: {
      type: 'object',
      required: ['type'],
      additionalProperties: false,
      properties: {
        type: { enum: ['number'] },
        required: { type: 'boolean' },
        minimum: { type: 'number' },
        maximum: { type: 'number' },
      },
    },
    stringConstraints: {
      type: 'object',
      required: ['type'],
      additionalProperties: false,
      not: { required: ['pattern', 'enum'] },
      properties: {
        type: { enum: ['string'] },
        required: { type: 'boolean' },
        pattern: { type: 'string', maxLength: 1024 },
        enum: { type: 'array', minItems: 1, maxItems: 100, items: { type: ['string', 'integer'] } },
      },
    },
    arrayConstraints: {
      type: 'object',
      required: ['type'],
      additionalProperties: false,
      properties: {
        type: { enum: ['array'] },
        required: { type: 'boolean' },
        elements: {
          oneOf: [{ $ref: '#/definitions/numberConstraints' }, { $ref: '#/definitions/stringConstraints' }],
        },
      },
    },
    boolConstraints: {
      type: 'object',
      required: ['type'],
      additionalProperties: false,
      properties: { type: { enum: ['boolean'] }, required: { type: 'boolean' } },
    },
    attributeValue: {
      oneOf: [
        { type: 'string' },
        { type: 'number' },
        { type: 'boolean' },
        { type: 'array', items: { type: 'string' } },
        { type: 'array', items: { type: 'number' } },
      ],
    },
    flagValue: {
      type: 'object',
      maxProperties: 29,
      additionalProperties: false,
      properties: {
        enabled: { type: 'boolean' },
        _createdAt: { type: 'string' },
        _updatedAt: { type: 'string' },
        _variants: { type: 'array', minItems: 1, maxItems: 32, items: { $ref: '#/definitions/variant' } },
      },
      patternProperties: { [KEY]: { $ref: '#/definitions/attributeValue' } },
    },
    variant: {
      type: 'object',
      required: ['name', 'enabled'],
      additionalProperties: false,
      properties: {
        name: { $ref: '#/definitions/name' },
        enabled: { type: 'boolean' },
        rule: { type: 'string', maxLength: 16384, description: 'An s-expression such as (eq $country "DE")' },
        attributeValues: {
          type: 'object',
          maxProperties: 25,
          additionalProperties: false,
          patternProperties: { [KEY]: { $ref: '#/definitions/attributeValue' } },
        },
      },
    },
  },
} as const;
