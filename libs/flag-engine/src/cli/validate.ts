import { readFileSync } from 'node:fs';
import { formatReport, validateDocument, type FileReport } from './validate-document';

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
      report = validateDocument(file, readFileSync(file));
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
