export { FlagdProtocolModule, type FlagdProtocolModuleOptions } from './flagd-protocol.module';
export {
  FLAGD_KEEP_ALIVE_MS,
  type FlagdMetrics,
  type FlagdProtocolOptions,
  type FlagdSnapshot,
  type FlagdSnapshots,
  type FlagdTls,
  type FlagdVerdict,
} from './flagd-options';
export { FlagdChangeFeed, type FlagdRevision } from './changes/change-feed';
export { FlagdServers } from './server/flagd-servers';
export { SELECTOR_HEADER } from './selection/source-selector';
export { inProcessGaps, syncDocument, type InProcessGap } from './sync/sync-document';
export * from './errors';
export { FLAGD_METHODS, FLAGD_OUTCOMES } from './server/rpc-labels';
