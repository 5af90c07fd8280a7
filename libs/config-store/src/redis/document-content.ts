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

/**
 * The raw bytes of a stored document: `contentGzip`, or the plain `content` an older version wrote;
 * `'too-large'` past `maxBytes`. zlib stops at `maxOutputLength`, so a 3 MB value that would expand to
 * 3 GB costs at most `maxBytes` of memory.
 */
export async function storedContent(
  fields: Record<string, Buffer>,
  maxBytes: number,
): Promise<Buffer | 'too-large' | null> {
  if (fields.contentGzip) {
    try {
      return await gunzipAsync(fields.contentGzip, { maxOutputLength: maxBytes });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return 'too-large';
      throw error;
    }
  }
  if (fields.content && fields.content.length > maxBytes) return 'too-large';
  return fields.content ?? null;
}
