import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FLAG_DOCUMENT_SCHEMA } from '../schema';

/** Regenerates schema/flag-document.schema.json from the FLAG_DOCUMENT_SCHEMA constant. */
export const SCHEMA_FILE = resolve(__dirname, '../../schema/flag-document.schema.json');

export function renderSchema(): string {
  return JSON.stringify(FLAG_DOCUMENT_SCHEMA, null, 2) + '\n';
}

if (require.main === module) writeFileSync(SCHEMA_FILE, renderSchema());
