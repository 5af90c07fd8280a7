import type { CompiledFlags } from '@flagfleet/flag-engine';
import type { SourceKey } from '@flagfleet/config-store';

/** The immutable, compiled configuration a replica serves for one source, whatever kind of source wrote it. */
export interface ConfigSnapshot {
  readonly source: SourceKey;
  readonly revision: number;
  readonly versionLabel: string | null;
  readonly contentType: string;
  /** Raw bytes as the source delivered them (the agent-compatible endpoint serves these). */
  readonly content: Buffer;
  readonly contentHash: string;
  /** null when the content is not a flag document (e.g. a freeform profile). */
  readonly flags: CompiledFlags | null;
  readonly fetchedAt: number;
  readonly loadedAt: number;
}
