import { Module } from '@nestjs/common';
import { Logger } from '@flagfleet/core';
import { ServiceConfig } from '../config';
import { PolledSources } from './polled-sources';

/**
 * What the poller polls, opened as Nest builds the app (in the embedded default the in-process emulator
 * starts here); closed by ShutdownOrder. Imported by the root and handed to the poller module's options.
 */
@Module({
  providers: [
    {
      provide: PolledSources,
      inject: [ServiceConfig, Logger],
      useFactory: (config: ServiceConfig, logger: Logger) => PolledSources.open(config.sources, logger),
    },
  ],
  exports: [PolledSources],
})
export class SourcesModule {}
