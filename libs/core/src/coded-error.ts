/**
 * The one error model: every coded error of flagfleet has a stable code (listed in docs/errors.md) and the HTTP
 * status it answers when it reaches an API; the service's one exception filter maps them all.
 */
export abstract class CodedError extends Error {
  abstract readonly code: string;
  /** HTTP status when the error reaches an API answer (500 for start-up errors that never do). */
  abstract readonly status: number;
}
