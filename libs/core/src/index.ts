export { Clock, ManualClock, SystemClock } from './clock';
export { Logger, SilentLogger, type LogFields } from './logger';
export { CodedError } from './coded-error';
export { CoreModule, type CoreModuleOptions } from './core.module';
