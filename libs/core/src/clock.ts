/**
 * Wall-clock time in epoch milliseconds. Every lib reads time through this one contract (Nest injects it by
 * class), so tests can move time forward instead of waiting for it.
 */
export abstract class Clock {
  abstract now(): number;
}

/** The real clock. */
export class SystemClock extends Clock {
  now(): number {
    return Date.now();
  }
}

/** A clock that moves only when told (tests: expire leases, age tokens, make retries due without waiting). */
export class ManualClock extends Clock {
  constructor(private time = Date.now()) {
    super();
  }
  now(): number {
    return this.time;
  }
  /** Moves time forward by `ms`. */
  advance(ms: number): void {
    this.time += ms;
  }
}
