/**
 * One fleet, one poll — measured. For 1, 3 and 6 replicas of the built service sharing one real
 * redis-server and polling the bundled emulator (interval 1 s): GetLatestConfiguration calls per
 * interval for the whole fleet (baseline: one call per replica per interval, as the AppConfig Agent and
 * other relays poll) and the delay from the fetch to the last replica serving a deploy, for a two-flag
 * document and for realistic documents of 1,000 and 4,000 targeted flags.
 */
import { Fleet, percentile } from '../test/support/fleet';

const WINDOW_MS = 10_000;
const DEPLOYS = 30;
const LARGE_DEPLOYS = 10;

async function measure(replicas: number): Promise<void> {
  const fleet = await Fleet.start({ replicas });
  try {
    const before = fleet.emulator.stats();
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
    const after = fleet.emulator.stats();
    const perInterval = (after.getLatestConfiguration - before.getLatestConfiguration) / (WINDOW_MS / 1000);
    const delays: number[] = [];
    for (let i = 0; i < DEPLOYS; i += 1) {
      await fleet.deployNext(5_000);
      delays.push(await fleet.propagationMs());
    }
    console.log(
      `replicas ${replicas}: ${perInterval.toFixed(2)} GetLatestConfiguration calls per interval for the fleet ` +
        `(${after.startConfigurationSession} session); vs one poller per replica: ${(perInterval / replicas).toFixed(2)}x; ` +
        `propagation fetch -> last replica over ${DEPLOYS} deploys: p50 ${percentile(delays, 50)} ms, p99 ${percentile(delays, 99)} ms`,
    );
  } finally {
    await fleet.stop();
  }
}

/**
 * Propagation of realistic documents (every flag targeted, every flag changed per deploy): the replicas that do
 * not hold the lease read and compile the whole document before serving it. Two figures per size: `/status`
 * (fetch -> loadedAt, stamped when the snapshot starts being served) and what clients see (fetch -> the first
 * OFREP answer with the new value on the last replica, probed every 5 ms).
 */
async function measureLarge(replicas: number, extraFlags: number): Promise<void> {
  const fleet = await Fleet.start({ replicas, extraFlags });
  try {
    const reported: number[] = [];
    const answered: number[] = [];
    for (let i = 0; i < LARGE_DEPLOYS; i += 1) {
      await fleet.deployNext(30_000);
      reported.push(await fleet.propagationMs());
      answered.push(await fleet.answeredMs());
    }
    console.log(
      `replicas ${replicas}, ${extraFlags + 2} flags: propagation fetch -> last replica over ${LARGE_DEPLOYS} deploys: ` +
        `/status p50 ${percentile(reported, 50)} ms, p99 ${percentile(reported, 99)} ms; ` +
        `clients see p50 ${percentile(answered, 50)} ms, p99 ${percentile(answered, 99)} ms`,
    );
  } finally {
    await fleet.stop();
  }
}

async function main(): Promise<void> {
  // `--large`: only the realistic documents.
  if (!process.argv.includes('--large')) for (const replicas of [1, 3, 6]) await measure(replicas);
  for (const flags of [1_000, 4_000]) await measureLarge(3, flags);
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
