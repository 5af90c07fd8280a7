import { Injectable } from '@nestjs/common';
import { ReadinessChecks } from '@flagfleet/serving';

/**
 * Ready = nothing the sources and listeners added to ReadinessChecks still waits (every configured source has a
 * snapshot, every listener is bound), and the process is not shutting down (so the balancer drains it first).
 */
@Injectable()
export class Readiness {
  private closing = false;

  constructor(private readonly checks: ReadinessChecks) {}

  /** The first step of shutdown (ShutdownOrder): the balancer sees 503 and stops sending. */
  drain(): void {
    this.closing = true;
  }

  /** true from the start of shutdown: new work is left to Fastify, which refuses it with 503. */
  get draining(): boolean {
    return this.closing;
  }

  state(): { ready: boolean; draining: boolean; waitingFor: string[] } {
    const waitingFor = this.checks.waitingFor();
    return { ready: !this.closing && waitingFor.length === 0, draining: this.closing, waitingFor };
  }
}
