import {
  compileFlagDocumentSliced,
  type CompiledFlags,
  type DocumentLimits,
  type DocumentProblem,
} from '@flagfleet/flag-engine';
import type { StoredDocument } from '@flagfleet/config-store';
import type { ConfigSnapshot } from '@flagfleet/serving';

/** The flags a document's bytes compile to (null for content that is not a flag document), or the reasons they cannot. */
export type FlagsCompilation =
  | { readonly ok: true; readonly flags: ConfigSnapshot['flags'] }
  | { readonly ok: false; readonly problems: readonly DocumentProblem[] };

export type SnapshotCompilation =
  | { readonly ok: true; readonly snapshot: ConfigSnapshot }
  | { readonly ok: false; readonly problems: readonly DocumentProblem[] };

/**
 * JSON profiles and AppConfig's Ion feature-flag format are flag documents; anything else (YAML, text: freeform
 * profiles) is served as bytes only.
 */
export function isFlagDocumentType(contentType: string): boolean {
  const mediaType = contentType.split(';')[0].trim().toLowerCase();
  return mediaType === 'application/json' || mediaType.endsWith('+json') || mediaType === 'application/ion';
}

/**
 * Compiles a document's bytes once, in slices that let requests through, reusing what `previous` (the flags
 * being served) compiled for unchanged flags; freeform content has no flags.
 */
export async function compileFlags(
  document: Pick<StoredDocument, 'content' | 'contentType'>,
  previous: CompiledFlags | null,
  limits: Partial<DocumentLimits> | undefined,
): Promise<FlagsCompilation> {
  if (!isFlagDocumentType(document.contentType)) return { ok: true, flags: null };
  // In a task of its own: what ran before (the fetch, hashing, the store read) does not add to its first slice.
  await new Promise((resolve) => setImmediate(resolve));
  const result = await compileFlagDocumentSliced(document.content, {
    contentType: document.contentType,
    previous,
    limits,
  });
  return result.ok ? { ok: true, flags: result.flags } : { ok: false, problems: result.errors };
}

/**
 * The immutable snapshot a replica serves, from stored bytes and what `compileFlags` made of them, or the
 * reasons it cannot. `loadedAt` is when it starts being served: after the compile, which may take a while.
 */
export function compileSnapshot(
  document: StoredDocument,
  compiled: FlagsCompilation,
  loadedAt: number,
): SnapshotCompilation {
  if (!compiled.ok) return compiled;
  const snapshot: ConfigSnapshot = {
    source: document.source,
    revision: document.revision,
    versionLabel: document.versionLabel,
    contentType: document.contentType,
    content: document.content,
    contentHash: document.contentHash,
    flags: compiled.flags,
    fetchedAt: document.fetchedAt,
    loadedAt,
  };
  return { ok: true, snapshot: Object.freeze(snapshot) };
}
