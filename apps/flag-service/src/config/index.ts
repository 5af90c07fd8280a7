export { ServiceConfig, type SourceSpec } from './service-config';
export { parseEnv, type ServiceEnv } from './env';
export { EnvInvalidError } from '../errors';
export { ServiceConfigModule } from './config.module';
