import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/**
 * Documents are stored gzipped: every replica reads the whole document on each change, so Redis
 * egress per change is replicas x stored bytes. zlib runs on the thread pool, off the event loop.
 */
export function compressContent(content: Buffer): Promise<Buffer> {
  return gzipAsync(content);
}

/** The raw bytes of a stored document: `contentGzip`, or the plain `content` an older version wrote. */
export async function storedContent(fields: Record<string, Buffer>): Promise<Buffer | null> {
  if (fields.contentGzip) return gunzipAsync(fields.contentGzip);
  return fields.content ?? null;
}
