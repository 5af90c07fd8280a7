export { ChangeFeed, ChangeSubscription, latest, type SubscriptionOptions } from './change-feed';
export { Mailbox } from './mailbox';
export { releaseOnAbort } from './release-on-abort';
export { type SourceChange, type SourceChangeKind, sourceRemoved } from './source-change';
export { StreamSlots } from './stream-slots';
