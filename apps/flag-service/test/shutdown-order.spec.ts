import { AppConfigPoller } from '@flagfleet/appconfig-poller';
import { CONFIG_STORE, type ConfigStore } from '@flagfleet/config-store';
import { FlagdServers } from '@flagfleet/flagd-protocol';
import { Readiness } from '../src/services/readiness.service';
import { FolderSync } from '../src/sources/folder-sync';
import { PolledSources } from '../src/sources/polled-sources';
import { SERVICE_FLAGS, startFlagService } from './flag-service-harness';

/** The steps of ShutdownOrder, as logged: `{"msg":"shutdown: <step>"}`. */
const logged = (logs: string): string[] =>
  logs
    .split('\n')
    .filter((line) => line.includes('"msg":"shutdown: '))
    .map((line) => (JSON.parse(line) as { msg: string }).msg.slice('shutdown: '.length));

describe('shutdown order (ShutdownOrder)', () => {
  it("drains readiness before anything stops, then the app's steps and the libs' hooks in the declared order", async () => {
    const service = await startFlagService({ flags: SERVICE_FLAGS }, { LOG_LEVEL: 'debug' });
    const { app } = service;
    const readiness = app.get(Readiness);
    const order: string[] = [];
    /** Records each call of `method` (and whether readiness was draining then), then runs it. */
    const record = <T extends object>(name: string, target: T, method: keyof T & string): void => {
      const original = (target[method] as (...args: unknown[]) => unknown).bind(target);
      jest.spyOn(target, method as never).mockImplementation(((...args: unknown[]) => {
        order.push(`${name}${readiness.draining ? '' : ' (not draining)'}`);
        return original(...args);
      }) as never);
    };
    record('readiness drains', readiness, 'drain');
    record('folder stops', app.get(FolderSync), 'stop');
    record('flagd listeners end', app.get(FlagdServers), 'beforeApplicationShutdown');
    record('poller stops', app.get(AppConfigPoller), 'onModuleDestroy');
    record('emulator closes', app.get(PolledSources), 'close');
    record('store closes', app.get<ConfigStore>(CONFIG_STORE), 'close');
    await service.close();
    expect(order).toEqual([
      'readiness drains (not draining)',
      'folder stops',
      'poller stops',
      'flagd listeners end',
      'emulator closes',
      'store closes',
    ]);
    expect(logged(service.logs())).toEqual([
      'readiness drains',
      'FLAGS_DIR no longer followed',
      'embedded emulator closed',
    ]);
  });
});
