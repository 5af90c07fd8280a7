export * from './model';
export { DocumentProblemCode, type DocumentProblem } from './errors';
export {
  compileFlagDocument,
  compileFlagDocumentSliced,
  type CompileOptions,
  type CompileOutcome,
  type SlicedCompileOptions,
} from './compile/compile-document';
export { NO_FLAGS, type CompiledFlags } from './evaluation/compiled-flags';
export { isSharedResult } from './evaluation/compiled-flag';
export type { DocumentFormat } from './document/parsed-document';
export { diffFlags, diffFlagsInSteps, type FlagDiff } from './diff-flags';
export { drainSteps, runInSlices, type Steps } from './steps';
export { FLAG_DOCUMENT_SCHEMA } from './schema';
export { APPCONFIG_FEATURE_FLAGS_SCHEMA } from './appconfig/schema';
export { answeredAttributes, attributeMetadata } from './appconfig/attributes';
export { asBoolean, asNumber } from './appconfig/operators/operands';
export { listMembers, type ListMembers } from './appconfig/operators/in';
export { splitBucket, splitWeights, type SplitWeights } from './appconfig/operators/split';
export { DEFAULT_DOCUMENT_LIMITS, type DocumentLimits } from './document/document-limits';
export { jsonDepthExceeds } from './document/json-depth';
export { flagdTargeting, type FlagdTranslation } from './appconfig/flagd/targeting';
