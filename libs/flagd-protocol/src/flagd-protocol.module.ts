import { Module, type DynamicModule, type InjectionToken } from '@nestjs/common';
import { FlagdChangeFeed } from './changes/change-feed';
import { FLAGD_OPTIONS, type FlagdProtocolOptions } from './flagd-options';
import { FlagdServers } from './server/flagd-servers';

export interface FlagdProtocolModuleOptions {
  readonly useFactory: (...deps: never[]) => FlagdProtocolOptions;
  readonly inject?: InjectionToken[];
}

/**
 * flagd's evaluation (v1 + v2) and sync services over the replica's snapshots. The app feeds each new
 * revision to FlagdChangeFeed (from `flags.changed`) and reads FlagdServers for readiness.
 */
@Module({})
export class FlagdProtocolModule {
  static forRootAsync(options: FlagdProtocolModuleOptions): DynamicModule {
    return {
      module: FlagdProtocolModule,
      providers: [
        { provide: FLAGD_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] },
        FlagdChangeFeed,
        FlagdServers,
      ],
      exports: [FlagdChangeFeed, FlagdServers],
    };
  }
}
