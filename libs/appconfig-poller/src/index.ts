export * from './events';
export { AppConfigPollerModule } from './appconfig-poller.module';
export type { AppConfigSource, AppConfigClientOptions, PollerModuleOptions } from './poller-options';
export { ConfigSnapshots } from './config-snapshots';
export { PollerStatus, type SourceStatus, type SourceError, type SourceRejection } from './poller-status';
export { PollerClock } from './poller-clock';
export * from './errors';
