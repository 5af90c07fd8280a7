import { Module, type DynamicModule, type InjectionToken } from '@nestjs/common';
import { ReadinessChecks } from '@flagfleet/serving';
import { FLAGD_OPTIONS, type FlagdProtocolOptions } from './flagd-options';
import { FlagdServers } from './server/flagd-servers';

export interface FlagdProtocolModuleOptions {
  readonly useFactory: (...deps: never[]) => FlagdProtocolOptions;
  readonly inject?: InjectionToken[];
}

/**
 * flagd's evaluation (v1 + v2) and sync services over the replica's snapshots; their streams consume the
 * one ChangeFeed (@flagfleet/serving, provided globally by the app). The listeners add their
 * readiness to serving's ReadinessChecks.
 */
/** Registers the listeners' readiness check once the servers are built. */
const FLAGD_READINESS = Symbol('FLAGD_READINESS');

@Module({})
export class FlagdProtocolModule {
  static forRootAsync(options: FlagdProtocolModuleOptions): DynamicModule {
    return {
      module: FlagdProtocolModule,
      providers: [
        { provide: FLAGD_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] },
        FlagdServers,
        {
          provide: FLAGD_READINESS,
          inject: [ReadinessChecks, FlagdServers],
          useFactory: (checks: ReadinessChecks, servers: FlagdServers) => {
            const check = { waitingFor: () => (servers.listening ? [] : ['flagd listeners']) };
            checks.add(check);
            return check;
          },
        },
      ],
      exports: [FlagdServers],
    };
  }
}
