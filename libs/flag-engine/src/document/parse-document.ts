import type { Steps } from '../steps';
import {
  declaresAppConfigFeatureFlags,
  looksLikeAppConfigFeatureFlags,
  looksLikeIon,
  parseAppConfigDocument,
  parseAppConfigIon,
} from './parse-appconfig';
import { parseFlagdDocument } from './parse-flagd';
import type { ParsedDocument } from './parsed-document';
import { ProblemList } from './problems';
import { readJsonInSteps } from './read-json';

/**
 * Reads and validates a document in any accepted format; the format comes from the content type and the content:
 * Amazon Ion (AppConfig's retrieval format of multi-variant flags), AppConfig's JSON shapes, or flagd. In steps:
 * JSON is read and flagd flags are validated a piece at a time (see `parseJsonInSteps`).
 */
export function* parseDocument(
  content: string | Uint8Array,
  contentType: string | undefined,
  problems: ProblemList,
  maxDepth?: number,
): Steps<ParsedDocument | null> {
  if (looksLikeIon(content, contentType)) return yield* parseAppConfigIon(content, problems);
  const root = yield* readJsonInSteps(content, problems, maxDepth);
  if (root === undefined || problems.errors.length > 0) return null;
  if (declaresAppConfigFeatureFlags(contentType) || looksLikeAppConfigFeatureFlags(root))
    return yield* parseAppConfigDocument(root, problems);
  return yield* parseFlagdDocument(root, problems);
}
