import { Code, ConnectError } from '@connectrpc/connect';
import type { CompiledFlags } from '@flagfleet/flag-engine';
import type { SourceKey } from '@flagfleet/config-store';
import { FlagdSelectorInvalidError } from '../errors';
import type { FlagdSnapshot, FlagdSnapshots } from '../flagd-options';

/** The gRPC metadata header that carries the selector (flagd#1814); it wins over the request field. */
export const SELECTOR_HEADER = 'flagd-selector';

const SOURCE = /^(?:source=)?([^/,\s=]{1,128}\/[^/,\s=]{1,128}\/[^/,\s=]{1,128})$/;

/**
 * The source a call names: `application/environment/profile` (or flagd's `source=` form) in the
 * `flagd-selector` header, else in the deprecated request field; none means the default source.
 */
export function selectedSource(
  snapshots: FlagdSnapshots,
  header: string | null,
  field: string | undefined,
): SourceKey {
  const raw = (header !== null && header.trim() !== '' ? header : (field ?? '')).trim();
  if (raw === '') return snapshots.defaultSource;
  const match = SOURCE.exec(raw);
  if (match === null) throw invalid(`${JSON.stringify(raw)} is not application/environment/profile`);
  const source = match[1];
  if (!snapshots.sources().includes(source)) throw invalid(`unknown source ${JSON.stringify(source)}`);
  return source;
}

/** The flags a call reads: INVALID_ARGUMENT for a source without flags, UNAVAILABLE before its first load. */
export function selectedFlags(
  snapshots: FlagdSnapshots,
  source: SourceKey,
): { snapshot: FlagdSnapshot; flags: CompiledFlags } {
  const snapshot = snapshots.get(source);
  if (snapshot === undefined)
    throw new ConnectError(`flags of ${source} are not loaded yet`, Code.Unavailable);
  if (snapshot.flags === null) throw invalid(`source ${source} is not a flag document`);
  return { snapshot, flags: snapshot.flags };
}

function invalid(reason: string): ConnectError {
  const error = new FlagdSelectorInvalidError(reason);
  return new ConnectError(error.message, Code.InvalidArgument, undefined, undefined, error);
}
