import { Injectable } from '@nestjs/common';

/** Wall-clock time for poll schedules and token ages; tests replace it to age tokens without waiting. */
@Injectable()
export class PollerClock {
  now(): number {
    return Date.now();
  }
}
