import { EnvInvalidError } from '../errors';

/** Reads the configuration, or prints every problem and exits 2 (the documented start-up failure). */
export function configOrExit<T>(program: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof EnvInvalidError)) throw error;
    process.stderr.write(`${program}: ${error.message}\n`);
    process.exit(2);
  }
}
