import type { ConfigurationCatalogue } from '../catalogue/configuration-catalogue';
import type { EmulatorStats } from '../emulator-options';
import type { TokenLedger } from '../sessions/token-ledger';

/** What the AppConfigData operations read and update. */
export interface DataPlane {
  readonly catalogue: ConfigurationCatalogue;
  readonly ledger: TokenLedger;
  readonly stats: EmulatorStats;
  /** Answered when the session asked for no minimum. */
  readonly pollIntervalSeconds: number;
}
