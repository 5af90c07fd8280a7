import { fork } from 'node:child_process';
import { join } from 'node:path';
// Types only: importing the probe's code would run it here.
import type { DeployStalls } from './stall-probe';

const FLAGS = 10_000;

/**
 * The main thread's CPU in the busiest event-loop stall while a 10,000-flag document loads. Before loading was
 * sliced, the parse and validation ran as one task of 150-390 ms of CPU (the emulator's parse and the webhook
 * payload another 130-230 ms each); sliced, no task takes more than a few tens of milliseconds. An AppConfig profile of
 * 10,000 multi-variant flags, as AppConfigData serves it (Ion), held it 700-1,000 ms (ion-js loading the whole
 * document, then the flagd translation of every rule for the in-process gap warning) before both were sliced, and
 * every deploy 90-120 ms when growth analysis cached every rule node (issue 26), and on Node 24 40-90 ms while ion-js's
 * DOM of the whole document and the snapshots that webhooks' remembered changes kept alive made garbage collection
 * copy hundreds of MB (20-40 ms since: the Ion read a flag at a time, no snapshot kept). CPU time, not wall
 * time: on a loaded 2-core CI machine a task's wall time also counts the time the process waited for a core.
 */
const MAX_STALL_CPU_MS = 80;
const PROBE_TIMEOUT_MS = 300_000;

function runProbe(): Promise<DeployStalls[]> {
  const child = fork(join(__dirname, 'stall-probe.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise<DeployStalls[]>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the stall probe did not finish within ${PROBE_TIMEOUT_MS} ms`));
    }, PROBE_TIMEOUT_MS);
    child.once('message', (results: DeployStalls[]) => resolve(results));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the stall probe exited with ${code} before reporting`));
    });
  });
}

describe('loading a 10,000-flag document (the built service, in a process of its own)', () => {
  it('no single task holds the event loop for long, for 10,000 new flags nor for every flag changed, flagd and AppConfig', async () => {
    const results = await runProbe();
    for (const result of results) {
      // For the record: wall time includes waiting for a core and garbage collection.
      process.stdout.write(
        `deploy-stall: ${result.label}: longest event-loop delay ${result.monitoredMaxMs.toFixed(1)} ms; busiest ` +
          `stall ${result.busiest.cpuMs.toFixed(0)} ms main-thread CPU in ${result.busiest.wallMs.toFixed(1)} ms; ` +
          `${result.gapsOver20Ms} turns over 20 ms\n`,
      );
    }
    expect(results.map((result) => [result.label, result.servedFlags])).toEqual([
      ['flagd: 10,000 new flags', FLAGS],
      ['flagd: every flag changed', FLAGS],
      ['AppConfig: 10,000 new flags', FLAGS],
      ['AppConfig: every flag changed', FLAGS],
    ]);
    const tooLong = results.filter((result) => result.busiest.cpuMs >= MAX_STALL_CPU_MS);
    expect(tooLong.map((result) => `${result.label}: ${result.busiest.cpuMs} ms of CPU`)).toEqual([]);
  }, 330_000);
});
