import { hash } from 'node:crypto';

/**
 * Bulk ETag: the snapshot revision and a hash of the answer's bytes. It changes exactly when the answer
 * does, whatever the context's key order, and stays right for rules that read `$flagd.timestamp`.
 */
export function bulkEtag(revision: number, json: string | Buffer): string {
  return `"${revision}-${hash('sha1', json, 'base64url').slice(0, 22)}"`;
}

/** True when `If-None-Match` lists this ETag (weak comparison, `*` matches anything). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((candidate) => {
    const tag = candidate.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag;
  });
}
