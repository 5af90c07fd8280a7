export { ApiKeyGuard, AdminKeyGuard } from './api-key.guard';
export { AuthRejectedException } from './auth-rejected.exception';
