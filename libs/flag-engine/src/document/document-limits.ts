/**
 * Bounds checked before a document is parsed, so no document can stall or exhaust a replica while it is read.
 * The default size sits above every size AWS AppConfig documents for a configuration (1 MB for the hosted store,
 * S3 and CodePipeline in the AppConfig User Guide's store quotas; 2 MiB in the emulator, after the hosted
 * store's current quota), with room for a raised quota; the depth is far beyond what rules need.
 */
export interface DocumentLimits {
  readonly maxBytes: number;
  readonly maxDepth: number;
}

export const DEFAULT_DOCUMENT_LIMITS: DocumentLimits = Object.freeze({
  maxBytes: 4 * 1024 * 1024,
  maxDepth: 64,
});

const encoder = new TextEncoder();

/** The content's size in UTF-8 bytes when it may exceed `maxBytes`, else 0 (without encoding short strings). */
export function oversizeBytes(content: string | Uint8Array, maxBytes: number): number {
  if (typeof content !== 'string') return content.byteLength > maxBytes ? content.byteLength : 0;
  // A UTF-16 code unit takes 1 to 3 UTF-8 bytes.
  if (content.length > maxBytes) return content.length;
  if (content.length * 3 <= maxBytes) return 0;
  const bytes = encoder.encode(content).byteLength;
  return bytes > maxBytes ? bytes : 0;
}
