import { type DynamicModule, Module } from '@nestjs/common';
import { Clock, SystemClock } from './clock';
import { Logger, SilentLogger } from './logger';

export interface CoreModuleOptions {
  /** Default: the system clock. */
  readonly clock?: Clock;
  /** Default: silent (the service passes its pino logger). */
  readonly logger?: Logger;
}

/**
 * The one Clock and the one Logger of the process, injectable everywhere by class
 * (`constructor(clock: Clock, logger: Logger)`): `CoreModule.forRoot({ clock, logger })`.
 */
@Module({})
export class CoreModule {
  static forRoot(options: CoreModuleOptions = {}): DynamicModule {
    return {
      module: CoreModule,
      global: true,
      providers: [
        { provide: Clock, useValue: options.clock ?? new SystemClock() },
        { provide: Logger, useValue: options.logger ?? new SilentLogger() },
      ],
      exports: [Clock, Logger],
    };
  }
}
