import { isAuthoringDocument, parseAuthoringInSteps } from '../appconfig/parse-authoring';
import { looksLikeIon, parseIonInSteps } from '../appconfig/parse-ion';
import { looksLikeRetrievalJson, parseRetrievalJson } from '../appconfig/parse-retrieval-json';
import { toFlagDefinitions } from '../appconfig/to-definitions';
import type { AppConfigFlag } from '../appconfig/model';
import type { JsonValue } from '../model';
import type { ParsedDocument } from './parsed-document';
import type { ProblemList } from './problems';
import type { Steps } from '../steps';

const AWS_FEATURE_FLAGS = /(?:^|;)\s*type\s*=\s*"?AWS\.AppConfig\.FeatureFlags"?\s*(?:;|$)/i;

/** The content type says "AppConfig feature flags" (`application/json; type=AWS.AppConfig.FeatureFlags`, or Ion). */
export function declaresAppConfigFeatureFlags(contentType: string | undefined): boolean {
  return contentType !== undefined && AWS_FEATURE_FLAGS.test(contentType);
}

export { looksLikeIon };

/** AppConfig's JSON shapes: the authoring document, or the retrieval JSON of basic flags. */
export function looksLikeAppConfigFeatureFlags(root: JsonValue): boolean {
  return isAuthoringDocument(root) || looksLikeRetrievalJson(root);
}

/** Reads an AppConfig feature-flag profile in its JSON shapes (authoring or retrieval), a flag per step. */
export function* parseAppConfigDocument(
  root: JsonValue,
  problems: ProblemList,
): Steps<ParsedDocument | null> {
  const flags = isAuthoringDocument(root)
    ? yield* parseAuthoringInSteps(root, problems)
    : parseRetrievalJson(root, problems);
  return toParsed(flags, problems);
}

/** Reads the Ion retrieval format (text or binary), a flag per step. */
export function* parseAppConfigIon(
  content: string | Uint8Array,
  problems: ProblemList,
): Steps<ParsedDocument | null> {
  return toParsed(yield* parseIonInSteps(content, problems), problems);
}

function toParsed(flags: AppConfigFlag[], problems: ProblemList): ParsedDocument | null {
  if (problems.errors.length > 0) return null;
  return { format: 'appconfig-feature-flags', flags: toFlagDefinitions(flags), evaluators: {}, metadata: {} };
}
