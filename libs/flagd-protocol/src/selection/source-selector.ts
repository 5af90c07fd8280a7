import { Code, ConnectError } from '@connectrpc/connect';
import type { SourceKey } from '@flagfleet/config-store';
import { NO_FLAGS, type CompiledFlags, type FlagMetadata } from '@flagfleet/flag-engine';
import { FlagdSelectorInvalidError } from '../errors';
import { refusalMessage, type EvaluationPort, type EvaluationRefusal } from '@flagfleet/serving';

/** The gRPC metadata header that carries the selector (flagd#1814); it wins over the request field. */
export const SELECTOR_HEADER = 'flagd-selector';

// Longer than any source key (three parts of at most 128) or sensible set name: refused, not looked up.
const MAX_SELECTOR_LENGTH = 512;

/**
 * What a call selects, in flagd's selector grammar (flagd `core/pkg/store/query.go`): one `key=value`, the keys
 * `source` and `flagSetId`; a selector without `=` is a source. `flagSetId=` (empty) selects the flags of no set.
 */
export type FlagdSelection =
  | { readonly by: 'default' }
  | { readonly by: 'source'; readonly source: SourceKey }
  | { readonly by: 'flagSet'; readonly flagSetId: string | null };

/** The flags a selection reads now, and what flagd reflects of the selector in answer metadata. */
export interface SelectedFlags {
  readonly flags: CompiledFlags;
  /** `source` or `flagSetId` as the selector named it (flagd's `Selector.ToMetadata`); null without one. */
  readonly reflected: FlagMetadata | null;
}

const DEFAULT: FlagdSelection = { by: 'default' };

/**
 * The selection of a call: the `flagd-selector` header, else the deprecated request field; none, the default
 * source. An unknown key is INVALID_ARGUMENT, as flagd answers it.
 */
export function parseSelector(header: string | null, field: string | undefined): FlagdSelection {
  const raw = (header !== null && header.trim() !== '' ? header : (field ?? '')).trim();
  if (raw === '') return DEFAULT;
  if (raw.length > MAX_SELECTOR_LENGTH) throw invalid(`longer than ${MAX_SELECTOR_LENGTH} characters`);
  const at = raw.indexOf('=');
  if (at === -1) return { by: 'source', source: raw };
  const key = raw.slice(0, at);
  const value = raw.slice(at + 1);
  if (key === 'source') return value === '' ? DEFAULT : { by: 'source', source: value };
  if (key === 'flagSetId') return { by: 'flagSet', flagSetId: value === '' ? null : value };
  throw invalid(`invalid selector key ${JSON.stringify(key)}, valid keys: "flagSetId", "source"`);
}

/**
 * The flags a selection reads, resolved by the evaluation port. A source or flag set that matches nothing
 * (unknown, removed) reads no flags, as in flagd, so providers answer FLAG_NOT_FOUND
 * instead of retrying a bad-argument error; a source not loaded yet is UNAVAILABLE (retried), or null for a
 * stream, which waits for it. A flag set is looked up in every served source, the default first: the first
 * that holds a flag of it serves its flags.
 */
export function selectedFlags(port: EvaluationPort, selection: FlagdSelection): SelectedFlags;
export function selectedFlags(
  port: EvaluationPort,
  selection: FlagdSelection,
  waiting: 'wait',
): SelectedFlags | null;
export function selectedFlags(
  port: EvaluationPort,
  selection: FlagdSelection,
  waiting?: 'wait',
): SelectedFlags | null {
  switch (selection.by) {
    case 'default': {
      const served = port.resolve(undefined);
      if (served.refusal === 'not-loaded' && waiting !== undefined) return null;
      if (served.refusal !== undefined) throw refusalError(served);
      return { flags: served.flags, reflected: null };
    }
    case 'source': {
      const served = port.resolve(selection.source);
      const reflected = { source: selection.source };
      if (served.refusal === 'not-loaded') {
        if (waiting !== undefined) return null;
        throw refusalError(served);
      }
      // A source that is not flags is a mistake worth naming (OFREP says the same); one unknown matches nothing.
      if (served.refusal === 'not-flags') throw refusalError(served);
      return { flags: served.refusal === undefined ? served.flags : NO_FLAGS, reflected };
    }
    case 'flagSet': {
      const reflected = selection.flagSetId === null ? null : { flagSetId: selection.flagSetId };
      for (const source of port.sources()) {
        const served = port.resolve(source);
        if (served.refusal !== undefined) continue;
        const flags = served.flags.inFlagSet(selection.flagSetId);
        if (flags.keys.length > 0) return { flags, reflected };
      }
      return { flags: NO_FLAGS, reflected };
    }
  }
}

/** flagd's wire for a refusal of the port: INVALID_ARGUMENT for a bad context or a source that is not flags,
 * UNAVAILABLE before the first load. */
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
