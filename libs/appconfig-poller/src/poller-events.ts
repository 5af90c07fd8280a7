import { Logger } from '@flagfleet/core';
import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import {
  PollerEvent,
  type ConfigRejectedEvent,
  type FlagsChangedEvent,
  type PollerErrorEvent,
  type PollerRecoveredEvent,
} from './events';

/** Typed emission of the poller's events; a throwing listener is logged and cannot break a poll. */
@Injectable()
export class PollerEvents {
  private readonly logger: Logger;

  constructor(
    private readonly emitter: EventEmitter2,
    logger: Logger,
  ) {
    this.logger = logger.child('poller');
  }

  flagsChanged(event: FlagsChangedEvent): void {
    this.emit(PollerEvent.FLAGS_CHANGED, event);
  }

  configRejected(event: ConfigRejectedEvent): void {
    this.emit(PollerEvent.CONFIG_REJECTED, event);
  }

  pollerError(event: PollerErrorEvent): void {
    this.emit(PollerEvent.POLLER_ERROR, event);
  }

  pollerRecovered(event: PollerRecoveredEvent): void {
    this.emit(PollerEvent.POLLER_RECOVERED, event);
  }

  private emit(name: PollerEvent, payload: object): void {
    try {
      this.emitter.emit(name, payload);
    } catch (error) {
      this.logger.error(`a ${name} listener failed: ${(error as Error).message}`);
    }
  }
}
