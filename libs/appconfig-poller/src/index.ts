export * from './events';
export { AppConfigPollerModule } from './appconfig-poller.module';
export { AppConfigPoller } from './appconfig-poller';
export type {
  AppConfigSource,
  AppConfigClientOptions,
  FeatureFlagRules,
  PollerModuleOptions,
  PollerSettings,
} from './poller-options';
export { PollerStatus, type SourceStatus, type SourceError, type SourceRejection } from './poller-status';
export * from './errors';
