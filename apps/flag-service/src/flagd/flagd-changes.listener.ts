import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { PollerEvent, type FlagsChangedEvent } from '@flagfleet/appconfig-poller';
import { Logger } from '@flagfleet/core';
import { runInSlices } from '@flagfleet/flag-engine';
import { inProcessGapsInSteps } from '@flagfleet/flagd-protocol';

/** flagd's streams hear changes from the change feed; this only warns of flags in-process providers cannot evaluate. */
@Injectable()
export class FlagdChangesListener {
  constructor(private readonly logger: Logger) {}

  @OnEvent(PollerEvent.FLAGS_CHANGED, { suppressErrors: true })
  async onFlagsChanged(event: FlagsChangedEvent): Promise<void> {
    // Said once per new or changed flag: the operator learns which flags in-process clients answer with errors.
    const { flags } = event.snapshot;
    // In slices: the rules of every changed multi-variant flag are translated (cached for the sync document).
    const gaps =
      flags === null
        ? []
        : await runInSlices(inProcessGapsInSteps(flags, [...event.added, ...event.changed]));
    if (gaps.length > 0)
      this.logger.warn(
        'in-process flagd providers cannot evaluate these AppConfig flags and answer them with the code default; RPC, OFREP and agent clients are unaffected',
        { source: event.source, revision: event.revision, flags: gaps },
      );
  }
}
