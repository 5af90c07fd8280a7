import { readFileSync, statSync } from 'node:fs';
import { DEFAULT_DOCUMENT_LIMITS, type DocumentLimits } from '../document/document-limits';
import { DocumentProblemCode } from '../errors';
import { formatReport, validateDocument, type FileReport } from './validate-document';

/** The service's limits: the same variables, the same defaults. */
const limits: DocumentLimits = {
  maxBytes: Number(process.env.DOCUMENT_MAX_BYTES) || DEFAULT_DOCUMENT_LIMITS.maxBytes,
  maxDepth: Number(process.env.DOCUMENT_MAX_DEPTH) || DEFAULT_DOCUMENT_LIMITS.maxDepth,
};

/** A file over the size limit is reported without being read. */
function tooLarge(file: string, size: number): FileReport {
  const message = `the document has ${size} bytes, more than the limit of ${limits.maxBytes}`;
  return {
    file,
    flagCount: 0,
    problems: [{ path: '', message, severity: 'error', code: DocumentProblemCode.TOO_LARGE }],
    ok: false,
  };
}

/** `npm run validate -- flags/*.json`: prints each problem with file, flag and path; exit 1 when any is an error. */
function main(files: readonly string[]): number {
  if (files.length === 0) {
    process.stderr.write('usage: npm run validate -- <flag-document.json>...\n');
    return 2;
  }
  let failed = false;
  for (const file of files) {
    let report: FileReport;
    try {
      const { size } = statSync(file);
      report =
        size > limits.maxBytes ? tooLarge(file, size) : validateDocument(file, readFileSync(file), limits);
    } catch (error) {
      process.stderr.write(`${file}: error cannot read the file: ${(error as Error).message}\n`);
      failed = true;
      continue;
    }
    const lines = formatReport(report).join('\n') + '\n';
    if (report.ok) process.stdout.write(lines);
    else process.stderr.write(lines);
    failed ||= !report.ok;
  }
  return failed ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
