/** Names another configured source than the default, per request (OFREP). */
export const SOURCE_HEADER = 'x-flagfleet-source';

/** The source a request names in `X-Flagfleet-Source`; undefined (the default source) without one. */
export function requestedSource(header: string | string[] | undefined): string | undefined {
  return typeof header === 'string' && header.length > 0 ? header : undefined;
}
