export * from './model';
export { DocumentProblemCode, FlagDocumentInvalidError, type DocumentProblem } from './errors';
export { compileFlagDocument, type CompileOptions, type CompileOutcome } from './compile/compile-document';
export type { CompiledFlags } from './evaluation/compiled-flags';
export { isSharedResult } from './evaluation/compiled-flag';
export type { DocumentFormat } from './document/parsed-document';
export { diffFlags, type FlagDiff } from './diff-flags';
export { FLAG_DOCUMENT_SCHEMA } from './schema';
