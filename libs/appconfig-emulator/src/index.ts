export { IN_PROCESS_URL, startAppConfigEmulator } from './start-emulator';
export { DEFAULT_MAX_TOKENS } from './sessions/token-ledger';
export {
  DEFAULT_POLL_INTERVAL_SECONDS,
  LOCAL_APPLICATION,
  LOCAL_ENVIRONMENT,
  type EmulatorOptions,
  type EmulatorStats,
  type RunningEmulator,
} from './emulator-options';
export { CONTENT_LIMIT_BYTES } from './http/request-handler';
export { TOKEN_LIFETIME_MS } from './sessions/token-ledger';
export { MAX_POLL_INTERVAL_SECONDS } from './data-plane/start-configuration-session';
export * from './errors';
