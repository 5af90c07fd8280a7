/** A lease needs a positive, finite TTL; anything else is a caller bug worth a clear message. */
export function assertTtl(ttlMs: number): void {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0)
    throw new RangeError(`lease TTL must be a positive number of ms, got ${ttlMs}`);
}
