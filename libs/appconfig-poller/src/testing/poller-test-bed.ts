import { Test, type TestingModule } from '@nestjs/testing';
import { EventEmitter2, EventEmitterModule } from '@nestjs/event-emitter';
import { startAppConfigEmulator, type RunningEmulator } from '@flagfleet/appconfig-emulator';
import { Clock, CoreModule } from '@flagfleet/core';
import { ConfigStoreModule, type ConfigStore } from '@flagfleet/config-store';
import { AppConfigPollerModule } from '../appconfig-poller.module';
import { ServingModule, SnapshotRegistry } from '@flagfleet/serving';
import {
  PollerEvent,
  type ConfigRejectedEvent,
  type FlagsChangedEvent,
  type PollerErrorEvent,
  type PollerRecoveredEvent,
} from '../events';
import type { AppConfigSource, PollerModuleOptions } from '../poller-options';
import { PollerStatus } from '../poller-status';

export const APP = 'shop';
export const ENV = 'prod';
export const PROFILE = 'flags';
export const SOURCE: AppConfigSource = { application: APP, environment: ENV, profile: PROFILE };
export const SOURCE_KEY = `${APP}/${ENV}/${PROFILE}`;

/** A flagd document with one boolean flag per key, all defaulting to `defaultOn`. */
export function flagDocument(keys: readonly string[], defaultOn = true): string {
  const flags = Object.fromEntries(
    keys.map((key) => [
      key,
      { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: defaultOn ? 'on' : 'off' },
    ]),
  );
  return JSON.stringify({ flags });
}

/** Each event the poller emitted, in order, per name. */
export interface RecordedEvents {
  readonly changed: FlagsChangedEvent[];
  readonly rejected: ConfigRejectedEvent[];
  readonly errors: PollerErrorEvent[];
  readonly recovered: PollerRecoveredEvent[];
}

/** A clock the test can move forward (tokens age without waiting). */
export class SkewedClock extends Clock {
  skewMs = 0;
  now(): number {
    return Date.now() + this.skewMs;
  }
}

export interface RunningPoller {
  readonly moduleRef: TestingModule;
  readonly snapshots: SnapshotRegistry;
  readonly status: PollerStatus;
  readonly events: RecordedEvents;
  readonly clock: SkewedClock;
  close(): Promise<void>;
}

/** Short intervals everywhere: the emulator answers 1 s, ticks are 20 ms, backoff 50..200 ms. */
export const FAST: Partial<PollerModuleOptions> = {
  schedulerTickMs: 20,
  backoffMinMs: 50,
  backoffMaxMs: 200,
  leaseTtlMs: 2000,
};

let started = 0;

/** One replica: the real module in a Nest testing module with the event emitter, against an emulator. */
export async function startPoller(
  emulator: Pick<RunningEmulator, 'url'>,
  store: ConfigStore,
  overrides: Partial<PollerModuleOptions> = {},
): Promise<RunningPoller> {
  const clock = new SkewedClock();
  const moduleRef = await Test.createTestingModule({
    imports: [
      EventEmitterModule.forRoot(),
      CoreModule.forRoot({ clock }),
      ConfigStoreModule.forStore(store),
      ServingModule,
      AppConfigPollerModule.forRoot({
        sources: [SOURCE],
        replicaId: `replica-${++started}`,
        client: {
          endpoint: emulator.url,
          region: 'us-east-1',
          credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
          requestTimeoutMs: 2000,
        },
        ...FAST,
        ...overrides,
      }),
    ],
  }).compile();
  moduleRef.useLogger(false);
  const events: RecordedEvents = { changed: [], rejected: [], errors: [], recovered: [] };
  const emitter = moduleRef.get(EventEmitter2);
  emitter.on(PollerEvent.FLAGS_CHANGED, (event: FlagsChangedEvent) => events.changed.push(event));
  emitter.on(PollerEvent.CONFIG_REJECTED, (event: ConfigRejectedEvent) => events.rejected.push(event));
  emitter.on(PollerEvent.POLLER_ERROR, (event: PollerErrorEvent) => events.errors.push(event));
  emitter.on(PollerEvent.POLLER_RECOVERED, (event: PollerRecoveredEvent) => events.recovered.push(event));
  await moduleRef.init();
  return {
    moduleRef,
    snapshots: moduleRef.get(SnapshotRegistry),
    status: moduleRef.get(PollerStatus),
    events,
    clock,
    close: () => moduleRef.close(),
  };
}

/** An in-process emulator answering Next-Poll-Interval-In-Seconds = 1, with one flag document deployed. */
export async function startEmulator(): Promise<RunningEmulator> {
  const emulator = await startAppConfigEmulator({ pollIntervalSeconds: 1 });
  emulator.deploy(APP, ENV, PROFILE, flagDocument(['alpha']), 'application/json', 'v1');
  return emulator;
}

/** POST /admin/faults on the emulator's admin API. */
export async function armFault(
  emulator: RunningEmulator,
  fault: { type: string; count?: number; latencyMs?: number },
): Promise<void> {
  const response = await fetch(`${emulator.url}/admin/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fault),
  });
  if (!response.ok)
    throw new Error(`arming ${fault.type} failed: ${response.status} ${await response.text()}`);
}
