import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { PollerStatus } from '@flagfleet/appconfig-poller';

/** Ready = every source has a snapshot and the process is not shutting down (so the balancer drains it first). */
@Injectable()
export class Readiness implements BeforeApplicationShutdown {
  private draining = false;

  constructor(private readonly poller: PollerStatus) {}

  beforeApplicationShutdown(): void {
    this.draining = true;
  }

  state(): { ready: boolean; draining: boolean; waitingFor: string[] } {
    const waitingFor = this.poller
      .sources()
      .filter((source) => !source.snapshotLoaded)
      .map((source) => source.source);
    return { ready: !this.draining && waitingFor.length === 0, draining: this.draining, waitingFor };
  }
}
