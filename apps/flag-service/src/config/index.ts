export { ServiceConfig, type ConnectionLimits, type SourcesConfig } from './service-config';
export { emulatorConfigFromEnv, type EmulatorConfig } from './emulator-config';
export { EnvInvalidError } from '../errors';
export { ServiceConfigModule } from './config.module';
export { configOrExit } from './config-or-exit';
