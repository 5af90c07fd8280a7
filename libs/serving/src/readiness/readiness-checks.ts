import { Injectable } from '@nestjs/common';

/** Something readiness waits for: names what it still waits for (a source not loaded, a listener not bound). */
export interface ReadinessCheck {
  waitingFor(): readonly string[];
}

/**
 * The one way sources and protocol listeners contribute to readiness: each adds its check when it is built,
 * so readiness never names a source or a protocol.
 */
@Injectable()
export class ReadinessChecks {
  private readonly checks: ReadinessCheck[] = [];

  add(check: ReadinessCheck): void {
    this.checks.push(check);
  }

  waitingFor(): string[] {
    return this.checks.flatMap((check) => check.waitingFor());
  }
}
