import { execFile } from 'node:child_process';

const CLI_TIMEOUT_MS = 3000;

/** One `redis-cli` call against a loopback port, bounded; rejects on a non-zero exit. */
export function redisCli(port: number, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'redis-cli',
      ['-h', '127.0.0.1', '-p', String(port), ...args],
      { timeout: CLI_TIMEOUT_MS },
      (error, stdout, stderr) =>
        error
          ? reject(new Error(`redis-cli ${args.join(' ')}: ${stderr || error.message}`))
          : resolve(stdout.trim()),
    );
  });
}
