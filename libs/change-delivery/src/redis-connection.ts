import type { Cluster, Redis } from 'ioredis';
import { StoreUnavailableError } from '@flagfleet/config-store';
import { CodedError } from '@flagfleet/core';

/** A standalone/Sentinel client or a Cluster (keys share one `{hash tag}` so scripts stay in one slot). */
export type RedisConnection = Redis | Cluster;

/**
 * Runs Redis work so that a Redis failure reaches callers as the config store's coded 503
 * (FLAGFLEET_STORE_UNAVAILABLE), as the store's own failures do; coded errors pass through.
 */
export async function storeCall<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof CodedError) throw error;
    throw new StoreUnavailableError(error instanceof Error ? error.message : String(error), { cause: error });
  }
}
