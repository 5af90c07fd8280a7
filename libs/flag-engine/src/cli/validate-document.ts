import { compileFlagDocument } from '../compile/compile-document';
import type { DocumentLimits } from '../document/document-limits';
import { DocumentProblemCode, formatProblem, type DocumentProblem } from '../errors';

// At run time these load and answer PARSE_ERROR; before a deployment they are mistakes.
const STRICT: ReadonlySet<string> = new Set([
  DocumentProblemCode.UNKNOWN_REF,
  DocumentProblemCode.TARGETING_NOT_COMPILABLE,
]);

export interface FileReport {
  readonly file: string;
  readonly flagCount: number;
  readonly problems: readonly DocumentProblem[];
  readonly ok: boolean;
}

/** Validates one document (flagd, AppConfig authoring/retrieval JSON, or Ion) as the CLI does: targeting that does not compile is an error here. */
export function validateDocument(
  file: string,
  content: string | Uint8Array,
  limits?: Partial<DocumentLimits>,
): FileReport {
  // Ion files (AppConfig's retrieval format of multi-variant flags) by name; JSON formats by content.
  const ion = file.endsWith('.ion') || file.includes('%ion%');
  const outcome = compileFlagDocument(content, { contentType: ion ? 'application/ion' : undefined, limits });
  if (!outcome.ok) return { file, flagCount: 0, problems: outcome.errors, ok: false };
  const problems = outcome.warnings.map((problem) =>
    STRICT.has(problem.code) ? { ...problem, severity: 'error' as const } : problem,
  );
  return {
    file,
    flagCount: outcome.flags.keys.length,
    problems,
    ok: problems.every((problem) => problem.severity !== 'error'),
  };
}

/** `file: error flag "k" at /flags/k/state: message [CODE]`, then a summary line per file. */
export function formatReport(report: FileReport): string[] {
  const lines = report.problems.map(
    (problem) => `${report.file}: ${problem.severity} ${formatProblem(problem)}`,
  );
  lines.push(
    report.ok
      ? `${report.file}: ok (${report.flagCount} ${report.flagCount === 1 ? 'flag' : 'flags'})`
      : `${report.file}: invalid`,
  );
  return lines;
}
