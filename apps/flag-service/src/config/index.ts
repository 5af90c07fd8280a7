export { ServiceConfig, type SourceSpec } from './service-config';
export { parseEnv, EnvInvalidError, type ServiceEnv } from './env';
export { ServiceConfigModule } from './config.module';
