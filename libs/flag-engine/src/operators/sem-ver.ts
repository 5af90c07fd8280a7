export const SEM_VER = 'sem_ver';

export interface SemanticVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  readonly prerelease: readonly string[];
}

// SemVer 2.0.0 (semver.org regex), after a `v`/`V` prefix is stripped; build metadata is matched and ignored.
const FULL =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+[0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*)?$/;
// Partial versions ("1", "1.2") are accepted as flagd does: missing parts are 0.
const PARTIAL = /^(\d+)(?:\.(\d+))?$/;
const NUMERIC = /^\d+$/;

// Rules compare against a few constant versions and fleets run a few app versions: parsed versions are
// cached (bounded, cleared when full) so the regex runs once per distinct string, not once per evaluation.
const CACHE_LIMIT = 1024;
const cache = new Map<string, SemanticVersion | null>();

/** Lenient parse: strings or numbers, `v`/`V` prefix, partial versions. Null when not a version. */
export function parseVersion(raw: unknown): SemanticVersion | null {
  if (typeof raw !== 'string' && typeof raw !== 'number') return null;
  const key = typeof raw === 'string' ? raw : String(raw);
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  if (cache.size >= CACHE_LIMIT) cache.clear();
  const parsed = parseText(key);
  cache.set(key, parsed);
  return parsed;
}

function parseText(raw: string): SemanticVersion | null {
  let text = raw;
  if (text.startsWith('v') || text.startsWith('V')) text = text.slice(1);
  const full = FULL.exec(text);
  if (full) {
    return Object.freeze({
      major: Number(full[1]),
      minor: Number(full[2]),
      patch: Number(full[3]),
      prerelease: Object.freeze(full[4] === undefined ? [] : full[4].split('.')),
    });
  }
  const partial = PARTIAL.exec(text);
  if (partial)
    return Object.freeze({
      major: Number(partial[1]),
      minor: Number(partial[2] ?? 0),
      patch: 0,
      prerelease: Object.freeze([]),
    });
  return null;
}

/** SemVer precedence: negative, zero or positive. */
export function compareVersions(a: SemanticVersion, b: SemanticVersion): number {
  if (a.major !== b.major) return a.major - b.major;
  if (a.minor !== b.minor) return a.minor - b.minor;
  if (a.patch !== b.patch) return a.patch - b.patch;
  // A pre-release sorts before its release.
  if (a.prerelease.length === 0 || b.prerelease.length === 0)
    return b.prerelease.length - a.prerelease.length;
  const length = Math.min(a.prerelease.length, b.prerelease.length);
  for (let i = 0; i < length; i++) {
    const order = compareIdentifiers(a.prerelease[i], b.prerelease[i]);
    if (order !== 0) return order;
  }
  return a.prerelease.length - b.prerelease.length;
}

function compareIdentifiers(a: string, b: string): number {
  const aNumeric = NUMERIC.test(a);
  const bNumeric = NUMERIC.test(b);
  if (aNumeric && bNumeric) return Number(a) - Number(b);
  if (aNumeric) return -1;
  if (bNumeric) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * `{"sem_ver": [version, operator, version]}` with operators `= != < <= > >=`, `^` (same major) and
 * `~` (same major and minor). Null on bad input.
 *
 * @example {"sem_ver": [{"var": "appVersion"}, ">=", "2.1.0"]} with appVersion "v2.3" → true
 */
export function semVer(args: unknown): boolean | null {
  if (!Array.isArray(args) || args.length !== 3) return null;
  const [left, operator, right] = args as unknown[];
  const a = parseVersion(left);
  const b = parseVersion(right);
  if (a === null || b === null) return null;
  switch (operator) {
    case '=':
      return compareVersions(a, b) === 0;
    case '!=':
      return compareVersions(a, b) !== 0;
    case '<':
      return compareVersions(a, b) < 0;
    case '<=':
      return compareVersions(a, b) <= 0;
    case '>':
      return compareVersions(a, b) > 0;
    case '>=':
      return compareVersions(a, b) >= 0;
    case '^':
      return a.major === b.major;
    case '~':
      return a.major === b.major && a.minor === b.minor;
    default:
      return null;
  }
}
