import { compileFlagDocument, type DocumentProblem } from '@flagfleet/flag-engine';
import type { StoredDocument } from '@flagfleet/config-store';
import type { ConfigSnapshot } from './events';

export type SnapshotCompilation =
  | { readonly ok: true; readonly snapshot: ConfigSnapshot }
  | { readonly ok: false; readonly problems: readonly DocumentProblem[] };

/** JSON profiles are flag documents; anything else (YAML, text: freeform profiles) is served as bytes only. */
export function isFlagDocumentType(contentType: string): boolean {
  const mediaType = contentType.split(';')[0].trim().toLowerCase();
  return mediaType === 'application/json' || mediaType.endsWith('+json');
}

/** Turns stored bytes into the immutable snapshot a replica serves, or the reasons it cannot. */
export function compileSnapshot(document: StoredDocument, loadedAt: number): SnapshotCompilation {
  let flags: ConfigSnapshot['flags'] = null;
  if (isFlagDocumentType(document.contentType)) {
    const result = compileFlagDocument(document.content, { contentType: document.contentType });
    if (!result.ok) return { ok: false, problems: result.errors };
    flags = result.flags;
  }
  const snapshot: ConfigSnapshot = {
    source: document.source,
    revision: document.revision,
    versionLabel: document.versionLabel,
    contentType: document.contentType,
    content: document.content,
    contentHash: document.contentHash,
    flags,
    fetchedAt: document.fetchedAt,
    loadedAt,
  };
  return { ok: true, snapshot: Object.freeze(snapshot) };
}
