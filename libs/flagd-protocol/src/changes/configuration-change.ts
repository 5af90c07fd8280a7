import type { FlagMetadata } from '@flagfleet/flag-engine';

/** flagd's change types in a configuration_change event: new flag, changed flag, removed flag. */
export type FlagChangeType = 'write' | 'update' | 'delete';

/** `data.flags` of a configuration_change event: every key the new revision touches. */
export type ChangedFlags = Record<string, { type: FlagChangeType }>;

export interface FlagdChangeInput {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly string[];
  /** Every key of the new document: all are touched when the flag-set metadata (merged into each) changed. */
  readonly keys: readonly string[];
  readonly previousMetadata: FlagMetadata | null;
  readonly metadata: FlagMetadata;
}

/**
 * The keys a new revision touches, as flagd names them. Flag-set metadata is part of every flag's answer,
 * so a change of it touches every flag: an RPC-mode cache evicts only the keys listed.
 */
export function changedFlags(input: FlagdChangeInput): ChangedFlags {
  const flags: ChangedFlags = {};
  if (input.previousMetadata !== null && !sameMetadata(input.previousMetadata, input.metadata)) {
    for (const key of input.keys) flags[key] = { type: 'update' };
  }
  for (const key of input.changed) flags[key] = { type: 'update' };
  for (const key of input.added) flags[key] = { type: 'write' };
  for (const key of input.removed) flags[key] = { type: 'delete' };
  return flags;
}

function sameMetadata(a: FlagMetadata, b: FlagMetadata): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => Object.is(a[key], b[key]));
}
