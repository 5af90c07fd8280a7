/**
 * One fleet, one poll — measured. For 1, 3 and 6 replicas of the built service sharing one real
 * redis-server and polling the bundled emulator (interval 1 s): GetLatestConfiguration calls per
 * interval for the whole fleet (baseline: one call per replica per interval, as the AppConfig Agent and
 * other relays poll) and the delay from the fetch to the last replica serving a deploy.
 */
import { Fleet, percentile } from '../test/support/fleet';

const WINDOW_MS = 10_000;
const DEPLOYS = 30;

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

async function main(): Promise<void> {
  for (const replicas of [1, 3, 6]) await measure(replicas);
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
