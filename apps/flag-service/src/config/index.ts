export { ServiceConfig, type SourceSpec } from './service-config';
export { EnvInvalidError } from '../errors';
export { ServiceConfigModule } from './config.module';
