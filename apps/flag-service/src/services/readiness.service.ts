import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { PollerStatus } from '@flagfleet/appconfig-poller';
import { FlagdServers } from '@flagfleet/flagd-protocol';

/**
 * Ready = every source has a snapshot, the flagd listeners are bound, and the process is not shutting down
 * (so the balancer drains it first).
 */
@Injectable()
export class Readiness implements BeforeApplicationShutdown {
  private closing = false;

  constructor(
    private readonly poller: PollerStatus,
    private readonly flagd: FlagdServers,
  ) {}

  beforeApplicationShutdown(): void {
    this.closing = true;
  }

  /** true from the start of shutdown: new work is left to Fastify, which refuses it with 503. */
  get draining(): boolean {
    return this.closing;
  }

  state(): { ready: boolean; draining: boolean; waitingFor: string[] } {
    const waitingFor = this.poller.waitingFor();
    if (!this.flagd.listening) waitingFor.push('flagd listeners');
    return { ready: !this.closing && waitingFor.length === 0, draining: this.closing, waitingFor };
  }
}
