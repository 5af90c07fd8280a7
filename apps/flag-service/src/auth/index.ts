export { ApiKeyGuard, AdminKeyGuard } from './api-key.guard';
export { AuthRejectedException } from './auth-rejected.exception';
export { RequiresKey } from './requires-key';
export { registerKeyCheck } from './key-check';
