export { Clock, ManualClock, SystemClock } from './clock';
export { Logger, SilentLogger, type LogFields } from './logger';
export {
  CodedError,
  codedError,
  type CodedErrorArgs,
  type CodedErrorClass,
  type ErrorTemplate,
} from './coded-error';
export { CoreModule, type CoreModuleOptions } from './core.module';
export { isSecretParameter, redactUrl } from './redact-url';
