export { FlagdProtocolModule, type FlagdProtocolModuleOptions } from './flagd-protocol.module';
export {
  FLAGD_KEEP_ALIVE_MS,
  type FlagdMetrics,
  type FlagdProtocolOptions,
  type FlagdTls,
  type FlagdVerdict,
} from './flagd-options';
export { FlagdServers } from './server/flagd-servers';
export type { UnaryTransport } from './server/unary-call-policy';
export { SELECTOR_HEADER } from './selection/source-selector';
export { inProcessGaps, inProcessGapsInSteps, syncDocument, type InProcessGap } from './sync/sync-document';
export * from './errors';
export { FLAGD_METHODS, FLAGD_OUTCOMES } from './server/rpc-labels';
