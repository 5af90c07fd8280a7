import { compileFlagDocument } from '../src/compile/compile-document';
import type { CompiledFlags } from '../src/evaluation/compiled-flags';

/** Compiles a document given as a plain object (stringified first); throws with the errors when it is rejected. */
export function compileOrThrow(document: unknown): CompiledFlags {
  const outcome = compileFlagDocument(JSON.stringify(document));
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
  return outcome.flags;
}
