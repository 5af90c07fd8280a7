import { hash } from 'node:crypto';
import type { EvaluationContext } from '@flagfleet/flag-engine';

/**
 * Bulk ETag: the snapshot's source and revision plus a hash of the context. Same revision and
 * same context give the same evaluations (time-based rules aside), so the client may keep its copy.
 */
export function bulkEtag(source: string, revision: number, context: EvaluationContext): string {
  // One-shot hash: a Hash object per bulk request cost about as much as the hashing itself.
  const digest = hash('sha1', `${source}\0${canonicalJson(context)}`, 'base64url');
  return `"${revision}-${digest.slice(0, 22)}"`;
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
  if (Array.isArray(value)) {
    let json = '[';
    for (let i = 0; i < value.length; i++) json += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return json + ']';
  }
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    let json = '{';
    for (let i = 0; i < keys.length; i++)
      json += `${i === 0 ? '' : ','}${JSON.stringify(keys[i])}:${canonicalJson(record[keys[i]])}`;
    return json + '}';
  }
  return JSON.stringify(value) ?? 'null';
}
