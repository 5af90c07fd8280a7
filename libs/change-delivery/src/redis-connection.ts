import type { Cluster, Redis } from 'ioredis';

/** A standalone/Sentinel client or a Cluster (keys share one `{hash tag}` so scripts stay in one slot). */
export type RedisConnection = Redis | Cluster;
