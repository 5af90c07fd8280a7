export { flagdProtocolModule } from './flagd-wiring';
export { FlagdChangesListener } from './flagd-changes.listener';
