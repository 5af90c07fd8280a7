import { DocumentProblem, DocumentProblemCode } from '../errors';

/** JSON Pointer for a path of keys (RFC 6901 escaping). */
export function pointer(...parts: readonly (string | number)[]): string {
  return parts.map((part) => '/' + String(part).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** Collects problems while a document is read; errors reject the document, warnings do not. */
export class ProblemList {
  readonly errors: DocumentProblem[] = [];
  readonly warnings: DocumentProblem[] = [];

  error(code: DocumentProblemCode, path: string, message: string, flagKey?: string): void {
    this.errors.push(problem('error', code, path, message, flagKey));
  }

  warning(code: DocumentProblemCode, path: string, message: string, flagKey?: string): void {
    this.warnings.push(problem('warning', code, path, message, flagKey));
  }
}

function problem(
  severity: 'error' | 'warning',
  code: DocumentProblemCode,
  path: string,
  message: string,
  flagKey?: string,
): DocumentProblem {
  return flagKey === undefined
    ? { path, message, severity, code }
    : { flagKey, path, message, severity, code };
}
