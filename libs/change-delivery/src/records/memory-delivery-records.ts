import {
  type DeadLetter,
  type DeliveryAttempt,
  type DeliveryRecords,
  DEFAULT_LOG_LENGTH,
  MAX_DEAD_LETTERS,
} from './delivery-records';

export class MemoryDeliveryRecords implements DeliveryRecords {
  private readonly logs = new Map<string, DeliveryAttempt[]>();
  /** Insertion order is age order. */
  private readonly dead = new Map<string, DeadLetter>();

  constructor(private readonly logLength = DEFAULT_LOG_LENGTH) {}

  async recordAttempt(attempt: DeliveryAttempt): Promise<void> {
    const log = [attempt, ...(this.logs.get(attempt.subscriptionId) ?? [])].slice(0, this.logLength);
    this.logs.set(attempt.subscriptionId, log);
  }
  async recentAttempts(subscriptionId: string, limit = this.logLength): Promise<DeliveryAttempt[]> {
    return (this.logs.get(subscriptionId) ?? []).slice(0, limit);
  }
  async addDeadLetter(letter: DeadLetter): Promise<void> {
    this.dead.delete(letter.job.id);
    this.dead.set(letter.job.id, letter);
    if (this.dead.size > MAX_DEAD_LETTERS) this.dead.delete(this.dead.keys().next().value as string);
  }
  async listDeadLetters(): Promise<DeadLetter[]> {
    return [...this.dead.values()].reverse();
  }
  async takeDeadLetter(deliveryId: string): Promise<DeadLetter | null> {
    const letter = this.dead.get(deliveryId) ?? null;
    this.dead.delete(deliveryId);
    return letter;
  }
}
