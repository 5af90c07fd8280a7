export { ApiKeyGuard, AdminKeyGuard, StreamKeyGuard } from './api-key.guard';
export { StreamTokens } from './stream-tokens';
export { AuthRejectedException } from './auth-rejected.exception';
export { RequiresKey } from './requires-key';
export { registerKeyCheck } from './key-check';
