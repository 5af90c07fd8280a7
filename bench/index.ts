/**
 * `npm run bench`: runs every benchmark in its own process, one after another, so that one
 * benchmark's heap and JIT state never colour another's figures. Each prints ratios against a
 * baseline measured in the same run.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const BENCHMARKS = ['engine.ts', 'service.ts', 'fleet.ts', 'deploy-stall.ts', 'redis-egress.ts', 'flagd.ts'];
const only = process.argv.slice(2);
let failed = 0;

for (const file of BENCHMARKS) {
  if (only.length > 0 && !only.some((name) => file.startsWith(name))) continue;
  const path = join(__dirname, file);
  console.log(`\n=== bench/${file} ===`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', path], { stdio: 'inherit' });
  if (run.status !== 0) {
    failed += 1;
    console.error(`bench/${file} exited with ${run.status ?? run.signal}`);
  }
}
process.exit(failed === 0 ? 0 : 1);
