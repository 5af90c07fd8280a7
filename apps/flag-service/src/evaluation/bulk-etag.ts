import { createHash } from 'node:crypto';
import type { EvaluationContext } from '@flagfleet/flag-engine';

/**
 * Bulk ETag: the snapshot's source and revision plus a hash of the context. Same revision and
 * same context give the same evaluations (time-based rules aside), so the client may keep its copy.
 */
export function bulkEtag(source: string, revision: number, context: EvaluationContext): string {
  const hash = createHash('sha1')
    .update(source)
    .update('\0')
    .update(canonicalJson(context))
    .digest('base64url');
  return `"${revision}-${hash.slice(0, 22)}"`;
}

/** True when `If-None-Match` lists this ETag (weak comparison, `*` matches anything). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((candidate) => {
    const tag = candidate.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag;
  });
}

/** JSON with object keys sorted, so that key order in the request does not change the ETag. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
