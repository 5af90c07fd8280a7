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

/**
 * Pub/Sub channel carrying `{source, revision}` hints for every source of one database: channels are
 * server-wide (SELECT does not scope them), so the database is part of the name.
 */
export function revisionChannel(prefix: string, db: number): string {
  return `${prefix}db${db}:revisions`;
}
