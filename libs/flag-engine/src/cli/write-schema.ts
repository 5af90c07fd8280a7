import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { APPCONFIG_FEATURE_FLAGS_SCHEMA } from '../appconfig/schema';
import { FLAG_DOCUMENT_SCHEMA } from '../schema';

/** Regenerates the shipped JSON Schemas (schema/*.schema.json) from their constants. */
export const SCHEMA_FILE = resolve(__dirname, '../../schema/flag-document.schema.json');
export const APPCONFIG_SCHEMA_FILE = resolve(__dirname, '../../schema/appconfig-feature-flags.schema.json');

export function renderSchema(schema: object = FLAG_DOCUMENT_SCHEMA): string {
  return JSON.stringify(schema, null, 2) + '\n';
}

if (require.main === module) {
  writeFileSync(SCHEMA_FILE, renderSchema());
  writeFileSync(APPCONFIG_SCHEMA_FILE, renderSchema(APPCONFIG_FEATURE_FLAGS_SCHEMA));
}
