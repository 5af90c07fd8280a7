export { ServiceConfig } from './service-config';
export { EnvInvalidError } from '../errors';
export { ServiceConfigModule } from './config.module';
