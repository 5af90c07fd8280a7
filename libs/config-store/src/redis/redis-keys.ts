import { SourceKey } from '../config-store';

export const DEFAULT_KEY_PREFIX = 'flagfleet:';

/**
 * Key names of one source. The `{source}` hash tag puts all of them in one Cluster slot, so every
 * multi-key script is legal on Redis Cluster.
 */
export interface SourceRedisKeys {
  readonly lease: string;
  readonly fence: string;
  readonly token: string;
  readonly document: string;
}

export function sourceRedisKeys(prefix: string, source: SourceKey): SourceRedisKeys {
  const base = `${prefix}{${source}}:`;
  return { lease: `${base}lease`, fence: `${base}fence`, token: `${base}token`, document: `${base}document` };
}

/** Pub/Sub channel carrying `{source, revision}` messages for every source. */
export function revisionChannel(prefix: string): string {
  return `${prefix}revisions`;
}
