export * from './model';
export { DocumentProblemCode, FlagDocumentInvalidError, formatProblem, type DocumentProblem } from './errors';
export { compileFlagDocument, type CompileOptions, type CompileOutcome } from './compile/compile-document';
export type { CompiledFlags } from './evaluation/compiled-flags';
export type { DocumentFormat } from './document/parsed-document';
export { MAX_CONTEXT_DEPTH, MAX_CONTEXT_KEYS } from './evaluation/context';
export { diffFlags, type FlagDiff } from './diff-flags';
export { FLAG_DOCUMENT_SCHEMA } from './schema';
export { createTargetingEngine, murmur3, targetingEngine, type TargetingEngine } from './operators';
