import type { SourceKey } from '@flagfleet/config-store';
import type { ConfigSnapshot } from '../snapshots/config-snapshot';

/**
 * Why a request got no evaluation, whatever its protocol: each protocol maps these to its wire (OFREP 400/503,
 * agent 404/503, flagd INVALID_ARGUMENT/UNAVAILABLE). A flag not found or of another type is not a refusal but
 * a result with its error code, because every protocol answers it as an evaluation (and counts it).
 */
export type EvaluationRefusal =
  | { readonly refusal: 'unknown-source'; readonly source: SourceKey }
  | { readonly refusal: 'not-loaded'; readonly source: SourceKey }
  /** The snapshot is served (the agent answers its bytes) but holds no flags. */
  | { readonly refusal: 'not-flags'; readonly source: SourceKey; readonly snapshot: ConfigSnapshot }
  | { readonly refusal: 'invalid-context'; readonly details: string };

/**
 * The one wording of a refusal, whatever the protocol: each wire adds its status or code (and OFREP the
 * header that named the source), never its own sentence.
 */
export function refusalMessage(refused: EvaluationRefusal): string {
  switch (refused.refusal) {
    case 'unknown-source':
      return `unknown source ${JSON.stringify(refused.source)}`;
    case 'not-loaded':
      return `flags of ${refused.source} are not loaded yet`;
    case 'not-flags':
      return `source ${refused.source} is not a flag document (${refused.snapshot.contentType})`;
    case 'invalid-context':
      return refused.details;
  }
}
