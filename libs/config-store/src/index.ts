export type {
  ConfigStore,
  NewDocument,
  PollLease,
  PollTokenState,
  PublishOutcome,
  RejectedConfiguration,
  SourceKey,
  StoreHealth,
  StoredDocument,
} from './config-store';
export { CONFIG_STORE } from './config-store';
export { ConfigStoreModule, type ConfigStoreOptions } from './config-store.module';
export {
  LeaseLostError,
  StoredDocumentCorruptError,
  StoredDocumentTooLargeError,
  StoreUnavailableError,
} from './errors';
export { contentHash } from './content-hash';
export { sourceKey, parseSourceKey } from './source-key';
export type { SourceParts } from './source-key';
export { MemoryConfigStore } from './memory/memory-config-store';
export { RedisConfigStore } from './redis/redis-config-store';
export { createConfigStore } from './create-config-store';
export { DEFAULT_KEY_PREFIX } from './redis/redis-keys';
export { createRedisClient } from './redis/redis-url';
