import { Code, ConnectError } from '@connectrpc/connect';
import type { SourceKey } from '@flagfleet/config-store';
import { FlagdSelectorInvalidError } from '../errors';
import { refusalMessage, type EvaluationPort, type EvaluationRefusal } from '@flagfleet/serving';
import type { CompiledFlags } from '@flagfleet/flag-engine';

/** The gRPC metadata header that carries the selector (flagd#1814); it wins over the request field. */
export const SELECTOR_HEADER = 'flagd-selector';

const SOURCE = /^(?:source=)?([^/,\s=]{1,128}\/[^/,\s=]{1,128}\/[^/,\s=]{1,128})$/;

/**
 * The source a call names: `application/environment/profile` (or flagd's `source=` form) in the
 * `flagd-selector` header, else in the deprecated request field; undefined means the default source. Whether
 * it is served is the evaluation port's to say (refusalError).
 */
export function selectorSource(header: string | null, field: string | undefined): SourceKey | undefined {
  const raw = (header !== null && header.trim() !== '' ? header : (field ?? '')).trim();
  if (raw === '') return undefined;
  const match = SOURCE.exec(raw);
  if (match === null) throw invalid(`${JSON.stringify(raw)} is not application/environment/profile`);
  return match[1];
}

/**
 * The source a stream follows, resolved by the evaluation port: null (every source) without a selector; an
 * unknown source is refused, one not loaded yet (or not of flags) is followed, since its loads are changes.
 */
export function followedSource(port: EvaluationPort, header: string | null): SourceKey | null {
  const source = selectorSource(header, undefined);
  if (source === undefined) return null;
  const served = port.resolve(source);
  if (served.refusal === 'unknown-source') throw refusalError(served);
  return source;
}

/** The flags a sync call reads, resolved by the evaluation port (its refusals as flagd's statuses). */
export function syncedFlags(
  port: EvaluationPort,
  header: string | null,
  field: string | undefined,
): { source: SourceKey; flags: CompiledFlags } {
  return servedFlags(port.resolve(selectorSource(header, field)));
}

/**
 * The flags a sync stream starts from: as `syncedFlags`, but a source not loaded yet is followed (null flags),
 * so that a provider starting with the replica is sent the first load instead of UNAVAILABLE.
 */
export function followedFlags(
  port: EvaluationPort,
  header: string | null,
  field: string | undefined,
): { source: SourceKey; flags: CompiledFlags | null } {
  const served = port.resolve(selectorSource(header, field));
  if (served.refusal === 'not-loaded') return { source: served.source, flags: null };
  return servedFlags(served);
}

function servedFlags(served: ReturnType<EvaluationPort['resolve']>): {
  source: SourceKey;
  flags: CompiledFlags;
} {
  if (served.refusal !== undefined) throw refusalError(served);
  return { source: served.snapshot.source, flags: served.flags };
}

/** flagd's wire for a refusal of the port, in its one wording: INVALID_ARGUMENT for an unknown source or one
 * without flags (a bad selector), UNAVAILABLE before its first load. */
export function refusalError(refused: EvaluationRefusal): ConnectError {
  switch (refused.refusal) {
    case 'unknown-source':
    case 'not-flags':
      return invalid(refusalMessage(refused));
    case 'not-loaded':
      return new ConnectError(refusalMessage(refused), Code.Unavailable);
    case 'invalid-context':
      return new ConnectError(refusalMessage(refused), Code.InvalidArgument);
  }
}

function invalid(reason: string): ConnectError {
  const error = new FlagdSelectorInvalidError(reason);
  return new ConnectError(error.message, Code.InvalidArgument, undefined, undefined, error);
}
