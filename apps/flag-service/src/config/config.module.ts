import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ServiceConfig } from './service-config';

/** Makes the one ServiceConfig of this process injectable everywhere. */
@Global()
@Module({})
export class ServiceConfigModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: ServiceConfigModule,
      providers: [{ provide: ServiceConfig, useValue: config }],
      exports: [ServiceConfig],
    };
  }
}
